package io.openons.trace.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.error.OnsException;
import org.junit.jupiter.api.Test;

class QueryTimeRangeTest {

    @Test
    void readsValuesBelowOneHundredBillionAsSeconds() {
        QueryTimeRange range = QueryTimeRange.of(1570852800L, 1570968000L);
        assertEquals(1570852800_000L, range.from());
        assertEquals(1570968000_000L, range.to());
        assertEquals(99_999_999_999_000L, QueryTimeRange.millis("BeginTime", 99_999_999_999L));
        assertEquals(100_000_000_000L, QueryTimeRange.millis("BeginTime", 100_000_000_000L));
    }

    @Test
    void keepsMillisecondsAndAcceptsMixedUnits() {
        QueryTimeRange range = QueryTimeRange.of(1570852800L, 1570968000123L);
        assertEquals(1570852800_000L, range.from());
        assertEquals(1570968000123L, range.to());
        assertEquals(new QueryTimeRange(5_000L, 100_000_000_000L), QueryTimeRange.of(5L, 100_000_000_000L));
    }

    @Test
    void refusesABeginAfterTheEndSayingWhatToFix() {
        OnsException e = assertThrows(OnsException.class, () -> QueryTimeRange.of(1700000100000L, 1700000000000L));
        assertEquals("BIZ_FIELD_CHECK_INVALID", e.code());
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().contains("BeginTime 1700000100000 (2023-11-14T22:15:00Z) is after EndTime "
                + "1700000000000 (2023-11-14T22:13:20Z)"), e.getMessage());
        assertTrue(e.getMessage().contains("below 100000000000 are read as seconds"), e.getMessage());
        // the same instant in seconds and milliseconds is an empty-free, valid range
        assertEquals(1700000000000L, QueryTimeRange.of(1700000000L, 1700000000000L).to());
        // seconds after milliseconds of an earlier instant compare as instants, not as raw numbers
        assertThrows(OnsException.class, () -> QueryTimeRange.of(1700000001L, 1700000000999L));
    }

    @Test
    void refusesMissingAndNegativeTimes() {
        OnsException missing = assertThrows(OnsException.class, () -> QueryTimeRange.of(null, 1L));
        assertEquals("MissingParameter", missing.code());
        assertTrue(missing.getMessage().contains("\"BeginTime\""), missing.getMessage());
        OnsException negative = assertThrows(OnsException.class, () -> QueryTimeRange.of(1L, -5L));
        assertEquals("InvalidParameter", negative.code());
        assertTrue(negative.getMessage().contains("EndTime"), negative.getMessage());
    }
}
