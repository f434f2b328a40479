package io.openons.gateway.dialect.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The positional Timestamp reader agrees with {@link Instant#parse} and rejects impossible dates. */
class TimestampParsingTest {

    @ParameterizedTest
    @ValueSource(strings = {"2019-02-14T12:00:00Z", "2016-02-29T23:59:59Z", "1970-01-01T00:00:00Z",
            "2026-11-23T06:15:42.5Z", "2026-11-23T06:15:42.123Z", "2026-11-23T06:15:42.123456789Z",
            "2016-12-31T23:59:60Z", "2019-02-14T24:00:00Z"})
    void readsWhatInstantParseReads(String timestamp) {
        assertEquals(Instant.parse(timestamp), RpcAuthenticator.parseUtc(timestamp));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2019-13-14T12:00:00Z", "2019-02-30T12:00:00Z", "2019-02-14T25:00:00Z",
            "2019-02-14T12:61:00Z"})
    void rejectsImpossibleDates(String timestamp) {
        assertThrows(DateTimeException.class, () -> RpcAuthenticator.parseUtc(timestamp));
    }
}
