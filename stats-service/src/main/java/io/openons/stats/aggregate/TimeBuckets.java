package io.openons.stats.aggregate;

/**
 * Time arithmetic of the counts: epoch-aligned (UTC) minutes and periods, in epoch milliseconds. Periods of 5
 * and 10 minutes start at multiples of 5 and 10 minutes since the epoch, so every 10-minute period is made of
 * whole 1-minute buckets and a rolled-up 10-minute bucket answers a 10-minute period exactly.
 */
public final class TimeBuckets {

    public static final long MINUTE_MS = 60_000L;
    /** The width of rolled-up buckets. */
    public static final long ROLLUP_MS = 10 * MINUTE_MS;

    private TimeBuckets() {
    }

    /** The start of the step-wide period that contains {@code time} (also for times before 1970). */
    public static long floor(long time, long stepMs) {
        return Math.floorDiv(time, stepMs) * stepMs;
    }

    /** The start of the minute that contains {@code time}. */
    public static long minute(long time) {
        return floor(time, MINUTE_MS);
    }
}
