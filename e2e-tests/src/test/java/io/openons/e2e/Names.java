package io.openons.e2e;

import java.util.concurrent.atomic.AtomicInteger;

/** Unique resource names per test run, so tests never collide with each other or with earlier runs. */
public final class Names {

    private static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Names() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }

    public static String groupId(String prefix) {
        return "GID_" + prefix + "_" + RUN + "_" + COUNTER.incrementAndGet();
    }
}
