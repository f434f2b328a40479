package io.openons.stats.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CountingTest {

    private static final long T = 1_700_000_123_456L;
    private static final long MINUTE = TimeBuckets.minute(T);

    static MessageLifecycleEvent event(MessageLifecycleEventType type, String eventId, String msgId, long occurredAt,
            Long storeTimestamp, String groupId) {
        return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, eventId, type, occurredAt, "1001",
                "MQ_INST_1001_x", "orders", msgId, 0, null, null, null, null, null, storeTimestamp, null, 0, 0L, 10,
                null, groupId, null, null, 0, null, null);
    }

    @Test
    void publishedAndDelayedCountAsInputAtTheStoreTime() {
        long store = T - 61_000;
        CountedEvent c = Counting.classify(event(MessageLifecycleEventType.PUBLISHED, "e1", "M1", T, store, null));
        assertEquals(CountedEvent.TOPIC_INPUT, c.groupId());
        assertEquals(TimeBuckets.minute(store), c.bucketStart());
        assertEquals(T, c.eventTime());
        CountedEvent d = Counting.classify(event(MessageLifecycleEventType.DELAYED, "e2", "M2", T, store, null));
        assertEquals(TimeBuckets.minute(store), d.bucketStart());
        // Without a store time, the event's time.
        assertEquals(MINUTE, Counting.classify(event(MessageLifecycleEventType.PUBLISHED, "e3", "M3", T, null, null))
                .bucketStart());
    }

    @Test
    void aCommittedTransactionalMessageCountsAtTheCommit() {
        CountedEvent c = Counting.classify(event(MessageLifecycleEventType.COMMITTED, "e1", "M1", T, T - 3_600_000L,
                null));
        assertEquals(MINUTE, c.bucketStart());
        assertEquals(CountedEvent.TOPIC_INPUT, c.groupId());
    }

    @Test
    void aMessageIdCountsOnceAsInputWhicheverEventCarriesIt() {
        UUID published = Counting.classify(event(MessageLifecycleEventType.PUBLISHED, "e1", "M1", T, T, null))
                .dedupeKey();
        assertEquals(published, Counting.classify(event(MessageLifecycleEventType.DELAYED, "e2", "M1", T, T, null))
                .dedupeKey());
        assertEquals(published, Counting.classify(event(MessageLifecycleEventType.COMMITTED, "e3", "M1", T, T, null))
                .dedupeKey());
        assertNotEquals(published, Counting.classify(event(MessageLifecycleEventType.PUBLISHED, "e1", "M2", T, T,
                null)).dedupeKey());
    }

    @Test
    void ackedCountsAsOutputOfItsGroupOncePerEvent() {
        CountedEvent a = Counting.classify(event(MessageLifecycleEventType.ACKED, "e1", "M1", T, T - 99_000, "GID_a"));
        assertEquals("GID_a", a.groupId());
        assertEquals(MINUTE, a.bucketStart());
        CountedEvent again = Counting.classify(event(MessageLifecycleEventType.ACKED, "e2", "M1", T, T, "GID_a"));
        assertNotEquals(a.dedupeKey(), again.dedupeKey(), "a message consumed again (reset, resend) counts again");
        assertEquals(a.dedupeKey(),
                Counting.classify(event(MessageLifecycleEventType.ACKED, "e1", "M1", T + 5, T, "GID_a")).dedupeKey());
        // An event id and a message id with the same text never share a key.
        assertNotEquals(Counting.key("event:", "X"), Counting.key("msg:", "X"));
        assertNull(Counting.classify(event(MessageLifecycleEventType.ACKED, "e3", "M1", T, T, null)));
    }

    @Test
    void everyOtherTypeCountsNothing() {
        Set<MessageLifecycleEventType> counted = EnumSet.of(MessageLifecycleEventType.PUBLISHED,
                MessageLifecycleEventType.DELAYED, MessageLifecycleEventType.COMMITTED, MessageLifecycleEventType.ACKED);
        for (MessageLifecycleEventType type : MessageLifecycleEventType.values()) {
            if (!counted.contains(type)) {
                assertNull(Counting.classify(event(type, "e", "M", T, T, "GID_a")), type.name());
            }
        }
    }

    @Test
    void unknownTypesOtherVersionsAndIncompleteEventsCountNothing() {
        assertNull(Counting.classify(event(null, "e", "M", T, T, null)));
        assertNull(Counting.classify(null));
        MessageLifecycleEvent v2 = new MessageLifecycleEvent(2, "e", MessageLifecycleEventType.PUBLISHED, T, "1001",
                "MQ_INST_1001_x", "orders", "M", 0, null, null, null, null, null, T, null, 0, 0L, 10, null, null,
                null, null, 0, null, null);
        assertNull(Counting.classify(v2));
        MessageLifecycleEvent noAccount = new MessageLifecycleEvent(1, "e", MessageLifecycleEventType.PUBLISHED, T,
                null, "MQ_INST_1001_x", "orders", "M", 0, null, null, null, null, null, T, null, 0, 0L, 10, null, null,
                null, null, 0, null, null);
        assertNull(Counting.classify(noAccount));
    }

    @Test
    void aBatchSumsFreshKeysOncePerBucketInKeyOrder() {
        Batch batch = new Batch("t");
        CountedEvent a1 = Counting.classify(event(MessageLifecycleEventType.ACKED, "e1", "M1", T, T, "GID_b"));
        CountedEvent a2 = Counting.classify(event(MessageLifecycleEventType.ACKED, "e2", "M2", T, T, "GID_b"));
        CountedEvent p1 = Counting.classify(event(MessageLifecycleEventType.PUBLISHED, "e3", "M3", T, T, null));
        CountedEvent p1Copy = Counting.classify(event(MessageLifecycleEventType.PUBLISHED, "e3", "M3", T, T, null));
        CountedEvent old = Counting.classify(event(MessageLifecycleEventType.PUBLISHED, "e4", "M4", T, T - 120_000,
                null));
        batch.add(0, 10, T, a1);
        batch.add(1, 7, T, a2);
        batch.add(0, 11, T, p1);
        batch.add(0, 12, T, p1Copy);
        batch.add(1, 8, T + 9, old);
        batch.add(1, 9, T - 5, null);
        assertEquals(6, batch.records());
        assertEquals(1, batch.ignored());
        // a2 was counted before: not fresh.
        var sums = batch.sum(Set.of(a1.dedupeKey(), p1.dedupeKey(), old.dedupeKey()));
        assertEquals(List.of(
                new BucketKey("1001", "MQ_INST_1001_x", "", "orders", TimeBuckets.minute(T - 120_000)),
                new BucketKey("1001", "MQ_INST_1001_x", "", "orders", MINUTE),
                new BucketKey("1001", "MQ_INST_1001_x", "GID_b", "orders", MINUTE)), List.copyOf(sums.keySet()));
        assertEquals(List.of(1L, 1L, 1L), List.copyOf(sums.values()));
        List<Batch.PartitionProgress> progress = toList(batch.progress());
        assertEquals(new Batch.PartitionProgress(0, 13, T), progress.get(0));
        assertEquals(new Batch.PartitionProgress(1, 10, T + 9), progress.get(1));
    }

    private static List<Batch.PartitionProgress> toList(Iterable<Batch.PartitionProgress> it) {
        List<Batch.PartitionProgress> list = new java.util.ArrayList<>();
        it.forEach(list::add);
        return list;
    }

    @Test
    void timeBucketsFloorAlsoBeforeTheEpoch() {
        assertEquals(0, TimeBuckets.minute(59_999));
        assertEquals(60_000, TimeBuckets.minute(60_000));
        assertEquals(-60_000, TimeBuckets.minute(-1));
        assertEquals(1_200_000, TimeBuckets.floor(1_799_999, TimeBuckets.ROLLUP_MS));
    }
}
