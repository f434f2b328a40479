package io.openons.stats.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.error.OnsException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendRangeTest {

    private static final long MIN = 60_000L;
    /** 2019-10-12T04:00:00Z, the documented example's BeginTime (a multiple of 10 minutes). */
    private static final long T0 = 1570852800000L;
    private static final TrendRange.Limits LIMITS = new TrendRange.Limits(Duration.ofDays(3), Duration.ofHours(25),
            1441);

    @Test
    void alignedRangeHasAPointAtBothEndsLikeTheDocumentedExample() {
        // The documented example: 1570852800000..1570868400000 in 10-minute steps, both ends included.
        TrendRange r = TrendRange.of(T0, 1570868400000L, 10L, 1570868400000L + 5 * MIN, LIMITS);
        List<Long> xs = r.points();
        assertEquals(27, xs.size());
        assertEquals(T0, xs.get(0));
        assertEquals(1570868400000L, xs.get(xs.size() - 1));
        assertEquals(600, r.periodSeconds());
    }

    @Test
    void periodsContainingTheEndsAreIncludedWhenTheRangeIsNotAligned() {
        TrendRange r = TrendRange.of(T0 + 3 * MIN + 7, T0 + 12 * MIN + 1, 5L, T0 + 60 * MIN, LIMITS);
        assertEquals(List.of(T0, T0 + 5 * MIN, T0 + 10 * MIN), r.points());
        assertEquals(T0 + 15 * MIN, r.end());
    }

    @Test
    void periodsAreEpochAligned() {
        TrendRange r = TrendRange.of(T0 + 7 * MIN, T0 + 9 * MIN, 5L, T0 + 60 * MIN, LIMITS);
        assertEquals(List.of(T0 + 5 * MIN), r.points());
        assertEquals(300, r.periodSeconds());
        assertEquals(List.of(T0 + 7 * MIN, T0 + 8 * MIN, T0 + 9 * MIN),
                TrendRange.of(T0 + 7 * MIN, T0 + 9 * MIN, 1L, T0 + 60 * MIN, LIMITS).points());
    }

    @Test
    void defaultPeriodIsTenMinutes() {
        TrendRange r = TrendRange.of(T0, T0 + 30 * MIN, null, T0 + 60 * MIN, LIMITS);
        assertEquals(600_000L, r.periodMs());
        assertEquals(4, r.points().size());
    }

    @Test
    void periodsAfterNowAreLeftOut() {
        long now = T0 + 12 * MIN + 30_000;
        assertEquals(List.of(T0, T0 + 10 * MIN), TrendRange.of(T0, T0 + 60 * MIN, 10L, now, LIMITS).points());
        assertEquals(13, TrendRange.of(T0, T0 + 60 * MIN, 1L, now, LIMITS).points().size());
        assertTrue(TrendRange.of(now + 10 * MIN, now + 20 * MIN, 1L, now, LIMITS).points().isEmpty());
    }

    @Test
    void periodsStartingBeforeTheRetentionHorizonAreLeftOut() {
        long now = T0 + Duration.ofDays(3).toMillis() + 25 * MIN;
        TrendRange r = TrendRange.of(T0, T0 + 60 * MIN, 10L, now, LIMITS);
        // The horizon is T0 + 25 min: the first period wholly kept starts at T0 + 30 min.
        assertEquals(List.of(T0 + 30 * MIN, T0 + 40 * MIN, T0 + 50 * MIN, T0 + 60 * MIN), r.points());
    }

    @Test
    void aDayOfMinutesIsAllowedAndOneMoreIsNot() {
        long now = T0 + Duration.ofDays(1).toMillis();
        assertEquals(1441, TrendRange.of(now - Duration.ofDays(1).toMillis(), now, 1L, now, LIMITS).points().size());
        OnsException e = assertThrows(OnsException.class,
                () -> TrendRange.of(now - Duration.ofDays(1).toMillis() - MIN, now, 1L, now, LIMITS));
        assertEquals("BIZ_FIELD_CHECK_INVALID", e.code());
        assertTrue(e.getMessage().contains("1442 periods"), e.getMessage());
        // Ten-minute periods can cover the whole retention.
        assertEquals(433, TrendRange.of(now - Duration.ofDays(3).toMillis(), now, 10L, now, LIMITS).points().size());
    }

    @Test
    void minuteAndFiveMinutePeriodsOnlyInsideTheMinuteResolution() {
        long now = T0 + Duration.ofDays(2).toMillis();
        long old = now - Duration.ofHours(26).toMillis();
        OnsException e = assertThrows(OnsException.class, () -> TrendRange.of(old, old + 60 * MIN, 1L, now, LIMITS));
        assertTrue(e.getMessage().contains("last 25 hours"), e.getMessage());
        assertThrows(OnsException.class, () -> TrendRange.of(old, old + 60 * MIN, 5L, now, LIMITS));
        assertEquals(7, TrendRange.of(old, old + 60 * MIN, 10L, now, LIMITS).points().size());
    }

    @Test
    void rejectsUndocumentedPeriodsAndEmptyOrNegativeRanges() {
        for (long p : new long[] {0, 2, 3, 15, 60, -1}) {
            OnsException e = assertThrows(OnsException.class, () -> TrendRange.of(T0, T0 + MIN, p, T0, LIMITS));
            assertTrue(e.getMessage().contains("Period must be 1, 5 or 10"), e.getMessage());
        }
        assertThrows(OnsException.class, () -> TrendRange.of(T0, T0, 1L, T0, LIMITS));
        assertThrows(OnsException.class, () -> TrendRange.of(T0 + 1, T0, 1L, T0, LIMITS));
        assertThrows(OnsException.class, () -> TrendRange.of(-5, T0, 10L, T0, LIMITS));
    }
}
