package io.openons.stats.aggregate;

import java.util.Comparator;

/**
 * One counter: messages of a topic produced ({@code groupId} empty) or consumed by a group, in one minute.
 * Ordered so that concurrent transactions (several replicas) lock counter rows in the same order.
 */
public record BucketKey(String accountId, String instanceId, String groupId, String topic, long bucketStart)
        implements Comparable<BucketKey> {

    private static final Comparator<BucketKey> ORDER = Comparator.comparing(BucketKey::accountId)
            .thenComparing(BucketKey::instanceId).thenComparing(BucketKey::groupId).thenComparing(BucketKey::topic)
            .thenComparingLong(BucketKey::bucketStart);

    @Override
    public int compareTo(BucketKey other) {
        return ORDER.compare(this, other);
    }
}
