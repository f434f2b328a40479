package io.openons.e2e;

import java.util.Map;

/**
 * Settings the suite under test runs with, beyond the defaults, so that tests need not wait for
 * production-length timers (each is an ordinary, documented configuration value of the service).
 */
final class E2eSettings {

    private E2eSettings() {
    }

    static Map<String, String> serviceOverrides() {
        return Map.of(
                // A disabled key stops working within a second (production default: 5 s).
                "ONS_ACCESS_KEY_CACHE_TTL", "1s",
                // A consumer that stops polling leaves OnsConsumerGetConnection after 8 s (production: 60 s).
                "ONS_CONSUMER_ONLINE_WINDOW", "8s");
    }
}
