package io.openons.stats.trend;

import io.openons.contracts.error.OnsError;
import io.openons.stats.aggregate.TimeBuckets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The periods a trend query answers (docs/decisions/0401-trend-periods-and-limits.md). Periods are
 * epoch-aligned; each point's X is its period's start and its Y covers the whole period. The points are the
 * periods that contain BeginTime, EndTime and every boundary between them (so an aligned range gets a point at
 * both ends, as in the documented example), without the periods that start after now (no data can exist yet)
 * or before the retention horizon (the data is gone).
 *
 * @param periodMs width of one period
 * @param first    X of the first point
 * @param last     X of the last point; {@code last < first} when there is none
 */
public record TrendRange(long periodMs, long first, long last) {

    /** The documented Period values, in minutes. */
    static final List<Long> PERIODS = List.of(1L, 5L, 10L);
    /** The period when the caller sends none: the documented example answers in 10-minute steps without one. */
    static final long DEFAULT_PERIOD = 10;

    /** The limits a query is checked against. */
    public record Limits(Duration retention, Duration minuteResolution, int maxPoints) {
    }

    /**
     * Checks a query's range and period; {@code BIZ_FIELD_CHECK_INVALID} saying what to change when they do not
     * fit.
     */
    public static TrendRange of(long beginTime, long endTime, Long period, long now, Limits limits) {
        long minutes = period == null ? DEFAULT_PERIOD : period;
        if (!PERIODS.contains(minutes)) {
            throw OnsError.FIELD_CHECK_INVALID.exception(
                    "Period must be 1, 5 or 10 (minutes); it was " + minutes + ".");
        }
        if (beginTime < 0 || endTime < 0) {
            throw OnsError.FIELD_CHECK_INVALID.exception(
                    "BeginTime and EndTime are epoch milliseconds and cannot be negative.");
        }
        if (beginTime >= endTime) {
            throw OnsError.FIELD_CHECK_INVALID.exception(
                    "BeginTime (" + beginTime + ") must be earlier than EndTime (" + endTime + ").");
        }
        long periodMs = minutes * TimeBuckets.MINUTE_MS;
        long first = TimeBuckets.floor(beginTime, periodMs);
        long last = TimeBuckets.floor(endTime, periodMs);
        long points = (last - first) / periodMs + 1;
        if (points > limits.maxPoints()) {
            throw OnsError.FIELD_CHECK_INVALID.exception(String.format(
                    "The range from BeginTime to EndTime holds %d periods of %d minute(s); at most %d are allowed "
                            + "per query (%s with Period=%d). Shorten the range or use a longer Period.",
                    points, minutes, limits.maxPoints(), span(periodMs * (limits.maxPoints() - 1)), minutes));
        }
        if (periodMs < TimeBuckets.ROLLUP_MS && first < now - limits.minuteResolution().toMillis()) {
            throw OnsError.FIELD_CHECK_INVALID.exception(String.format(
                    "Period=%d is available for the last %s only; BeginTime is older. Use Period=10 for older "
                            + "ranges (statistics are kept for %s).",
                    minutes, span(limits.minuteResolution().toMillis()), span(limits.retention().toMillis())));
        }
        long kept = ceil(now - limits.retention().toMillis(), periodMs);
        return new TrendRange(periodMs, Math.max(first, kept), Math.min(last, TimeBuckets.floor(now, periodMs)));
    }

    /** The X of every point, in order. */
    public List<Long> points() {
        List<Long> xs = new ArrayList<>();
        for (long x = first; x <= last; x += periodMs) {
            xs.add(x);
        }
        return xs;
    }

    /** Seconds in one period (the divisor of Type=1). */
    public long periodSeconds() {
        return periodMs / 1000;
    }

    /** The end of the last point's period (exclusive), where counting stops. */
    public long end() {
        return last + periodMs;
    }

    private static long ceil(long time, long step) {
        return -Math.floorDiv(-time, step) * step;
    }

    private static String span(long ms) {
        Duration d = Duration.ofMillis(ms);
        if (d.toMinutes() % (24 * 60) == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toMinutes() % 60 == 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toMinutes() + " minutes";
    }
}
