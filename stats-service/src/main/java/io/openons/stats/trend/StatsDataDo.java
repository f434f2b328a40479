package io.openons.stats.trend;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One point: X the start of the period (epoch ms), Y its value: a whole number of messages for Type 0, messages
 * per second for Type 1 (the SDK reads it as a Float either way).
 */
public record StatsDataDo(@JsonProperty("X") long x, @JsonProperty("Y") Number y) {
}
