package io.openons.e2e.messaging.bench;

import java.util.Arrays;

/** Latency samples in microseconds, with percentiles (enough for a benchmark's few hundred thousand samples). */
final class Histogram {

    private long[] samples = new long[1 << 16];
    private int size;

    synchronized void record(long micros) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = micros;
    }

    synchronized int count() {
        return size;
    }

    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, index))] / 1000.0;
    }
}
