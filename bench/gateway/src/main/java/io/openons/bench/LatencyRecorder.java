package io.openons.bench;

import java.util.Arrays;

/** Collects latencies of one run (per thread, merged at the end) and reports throughput and percentiles. */
public final class LatencyRecorder {

    private long[] nanos = new long[1 << 16];
    private int count;
    private long errors;

    public void record(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, nanos.length * 2);
        }
        nanos[count++] = latencyNanos;
    }

    public void error() {
        errors++;
    }

    public static Summary merge(Iterable<LatencyRecorder> recorders, double seconds) {
        int total = 0;
        long errors = 0;
        for (LatencyRecorder r : recorders) {
            total += r.count;
            errors += r.errors;
        }
        long[] all = new long[total];
        int at = 0;
        for (LatencyRecorder r : recorders) {
            System.arraycopy(r.nanos, 0, all, at, r.count);
            at += r.count;
        }
        Arrays.sort(all);
        return new Summary(total, errors, seconds, percentile(all, 0.50), percentile(all, 0.99),
                percentile(all, 0.999), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** Requests, errors, throughput and latency percentiles (ms) of a run. */
    public record Summary(long requests, long errors, double seconds, double p50, double p99, double p999,
            double max) {
        public double perSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return String.format("%,10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  max %7.2f ms  "
                    + "(%,d requests, %d errors, %.0f s)", perSecond(), p50, p99, p999, max, requests, errors,
                    seconds);
        }
    }
}
