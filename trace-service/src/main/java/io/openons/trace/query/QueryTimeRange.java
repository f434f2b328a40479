package io.openons.trace.query;

import io.openons.contracts.error.OnsError;
import java.time.Instant;

/**
 * The BeginTime..EndTime range of a trace query, in epoch milliseconds, both ends included. Times are milliseconds
 * like every other time of the API; a value below 100,000,000,000 is read as seconds (the API reference's example
 * uses seconds), so 1570852800 and 1570852800000 mean the same instant (DECISIONS.md).
 */
public record QueryTimeRange(long from, long to) {

    /** Values below this are seconds: as milliseconds they would fall in March 1973. */
    public static final long SECONDS_BELOW = 100_000_000_000L;

    private static final String UNITS = "Times are epoch milliseconds; values below 100000000000 are read as seconds.";

    public static QueryTimeRange of(Long beginTime, Long endTime) {
        long from = millis("BeginTime", beginTime);
        long to = millis("EndTime", endTime);
        if (from > to) {
            throw OnsError.FIELD_CHECK_INVALID.exception(String.format(
                    "BeginTime %d (%s) is after EndTime %d (%s); BeginTime must not be after EndTime. %s",
                    beginTime, Instant.ofEpochMilli(from), endTime, Instant.ofEpochMilli(to), UNITS));
        }
        return new QueryTimeRange(from, to);
    }

    static long millis(String name, Long value) {
        if (value == null) {
            throw OnsError.MISSING_PARAMETER.exception(name);
        }
        if (value < 0) {
            throw OnsError.INVALID_PARAMETER.exception(name, value + " is negative. " + UNITS);
        }
        return value < SECONDS_BELOW ? value * 1000 : value;
    }
}
