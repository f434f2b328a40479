package io.openons.stats.aggregate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The records of one poll, ready to be applied in one transaction: the events that count, and per partition
 * where the batch ends (the offset to resume from) and how far its event time got.
 */
public final class Batch {

    /** An event that counts, with the partition it was read from. */
    public record Item(int partition, CountedEvent event) {
    }

    /** Where one partition's part of the batch ends. */
    public record PartitionProgress(int partition, long nextOffset, long watermark) {
    }

    private final String topic;
    private final List<Item> items = new ArrayList<>();
    private final Map<Integer, PartitionProgress> progress = new TreeMap<>();
    private int records;
    private int ignored;

    public Batch(String topic) {
        this.topic = topic;
    }

    /**
     * Adds one record: {@code counted} is its count (null when it counts nothing), {@code eventTime} its event
     * time when it could be read (0 otherwise).
     */
    public void add(int partition, long offset, long eventTime, CountedEvent counted) {
        records++;
        if (counted == null) {
            ignored++;
        } else {
            items.add(new Item(partition, counted));
        }
        progress.merge(partition, new PartitionProgress(partition, offset + 1, eventTime),
                (a, b) -> new PartitionProgress(partition, Math.max(a.nextOffset(), b.nextOffset()),
                        Math.max(a.watermark(), b.watermark())));
    }

    public String topic() {
        return topic;
    }

    public List<Item> items() {
        return Collections.unmodifiableList(items);
    }

    /** Per partition, in partition order (so concurrent replicas lock offset rows in the same order). */
    public Iterable<PartitionProgress> progress() {
        return progress.values();
    }

    public int records() {
        return records;
    }

    public int ignored() {
        return ignored;
    }

    /**
     * Sums counts per bucket over the events whose dedupe key is in {@code fresh} (those not counted before),
     * each key once; the result is ordered by key.
     */
    public TreeMap<BucketKey, Long> sum(Set<UUID> fresh) {
        Set<UUID> pending = new HashSet<>(fresh);
        Map<BucketKey, Long> sums = new HashMap<>();
        for (Item item : items) {
            // remove: a key repeated inside the batch counts once
            if (pending.remove(item.event().dedupeKey())) {
                sums.merge(item.event().bucket(), 1L, Long::sum);
            }
        }
        return new TreeMap<>(sums);
    }
}
