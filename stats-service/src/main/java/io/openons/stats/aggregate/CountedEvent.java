package io.openons.stats.aggregate;

import java.util.UUID;

/**
 * One lifecycle event that counts as one message produced ({@code groupId} empty) or consumed by a Group ID.
 *
 * @param dedupeKey   counted at most once per key (see {@link Counting})
 * @param bucketStart the minute it is counted in
 * @param eventTime   when it happened on the server (drives the dedupe clean-up)
 */
public record CountedEvent(UUID dedupeKey, String accountId, String instanceId, String groupId, String topic,
        long bucketStart, long eventTime) {

    /** The group id of counts of produced messages. */
    public static final String TOPIC_INPUT = "";

    public BucketKey bucket() {
        return new BucketKey(accountId, instanceId, groupId, topic, bucketStart);
    }
}
