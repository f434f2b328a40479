package io.openons.stats.consumetps;

import java.util.List;

/**
 * The recent consume rate of a Group ID, from the same per-minute counts as OnsTrendGroupOutputTps: messages
 * acknowledged in the window's whole minutes, divided by the window's seconds.
 *
 * @param windowStart first millisecond of the window (a minute start)
 * @param windowEnd   end of the window, exclusive: the start of the current, incomplete minute
 * @param consumed    messages consumed in the window, all topics
 * @param consumeTps  {@code consumed} per second
 * @param topics      per topic (only topics with consumption, or the one topic asked for)
 */
public record ConsumeTps(String accountId, String instanceId, String groupId, long windowStart, long windowEnd,
        long consumed, double consumeTps, List<TopicConsumeTps> topics) {

    /** One topic's part. */
    public record TopicConsumeTps(String topic, long consumed, double consumeTps) {
    }
}
