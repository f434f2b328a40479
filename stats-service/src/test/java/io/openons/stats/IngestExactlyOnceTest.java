package io.openons.stats;

import static io.openons.stats.Traffic.MINUTE;
import static io.openons.stats.Traffic.await;
import static io.openons.stats.TrendOperationsTest.groupQuery;
import static io.openons.stats.TrendOperationsTest.topicQuery;
import static io.openons.stats.TrendOperationsTest.trend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.agroal.api.AgroalDataSource;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.stats.aggregate.Batch;
import io.openons.stats.aggregate.BatchStore;
import io.openons.stats.aggregate.Counting;
import io.openons.stats.aggregate.JdbcBatchStore;
import io.openons.stats.aggregate.TimeBuckets;
import io.openons.stats.ingest.IngestWorker;
import io.openons.stats.ingest.LifecycleIngest;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Each event counts exactly once: when Kafka delivers it again, when it is published twice, when the service
 * crashes between writing the counts and committing them, when a replica that lost its partitions writes late,
 * and with several replicas sharing the partitions.
 */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class IngestExactlyOnceTest {

    @Inject
    LifecycleIngest ingest;
    @Inject
    JdbcBatchStore store;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    Admin admin;

    private double total(Traffic.Setup s, String topic, long from, long to) {
        return trend(s.account(), "OnsTrendTopicInputTps", topicQuery(s, topic, from, to, 0, 10L)).points().stream()
                .mapToDouble(TrendOperationsTest.Point::y).sum();
    }

    private double consumed(Traffic.Setup s, String group, String topic, long from, long to) {
        return trend(s.account(), "OnsTrendGroupOutputTps", groupQuery(s, group, topic, from, to, 0, 10L)).points()
                .stream().mapToDouble(TrendOperationsTest.Point::y).sum();
    }

    private Map<Integer, Long> endOffsets() throws Exception {
        int partitions = admin.describeTopics(List.of(EventTopics.MESSAGE_LIFECYCLE)).allTopicNames()
                .get(10, TimeUnit.SECONDS).get(EventTopics.MESSAGE_LIFECYCLE).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(EventTopics.MESSAGE_LIFECYCLE, p), OffsetSpec.latest());
        }
        Map<Integer, Long> result = new HashMap<>();
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                .forEach((tp, info) -> result.put(tp.partition(), info.offset()));
        return result;
    }

    /** One new produced message in every partition, then waits until all are counted: all before them were read. */
    private void drainEveryPartition(Traffic.Setup s, long time, int partitions) {
        double before = total(s, "sentinel", time - 10 * MINUTE, time);
        for (int p = 0; p < partitions; p++) {
            Traffic.publishToPartition(p, s.published("sentinel", time));
        }
        await("a sentinel in every partition", () -> total(s, "sentinel", time - 10 * MINUTE, time),
                n -> n == before + partitions);
    }

    @Test
    void anEventPublishedAgainOrReadAgainCountsOnce() {
        Traffic.Setup s = Traffic.Setup.create(List.of("t", "sentinel"), List.of("GID_c"));
        long m = TimeBuckets.minute(System.currentTimeMillis() - 15 * MINUTE);
        MessageLifecycleEvent produced = s.published("t", m + 10);
        MessageLifecycleEvent acked = s.acked("GID_c", "t", m + 20);
        // The same events three times in one batch...
        Traffic.publishInOrder(s.instance(), List.of(produced, acked, produced, acked, produced, acked));
        await("counted", () -> consumed(s, "GID_c", "t", m, m + MINUTE), n -> n == 1.0);
        assertEquals(1.0, total(s, "t", m, m + MINUTE));
        // ...and again later, in another batch, followed by a new message read after them.
        Traffic.publishInOrder(s.instance(), List.of(acked, produced, s.published("t", m + 30)));
        await("the new message", () -> total(s, "t", m, m + MINUTE), n -> n == 2.0);
        assertEquals(1.0, consumed(s, "GID_c", "t", m, m + MINUTE));
    }

    @Test
    void aCrashBetweenWritingAndCommittingLeavesNothingAndTheRestartCountsOnce() throws Exception {
        Traffic.Setup s = Traffic.Setup.create(List.of("t", "sentinel"), List.of("GID_c"));
        long m = TimeBuckets.minute(System.currentTimeMillis() - 12 * MINUTE);
        List<MessageLifecycleEvent> events = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            events.add(s.published("t", m + i * 50L));
            if (i % 2 == 0) {
                events.add(s.acked("GID_c", "t", m + MINUTE + i * 50L));
            }
        }
        AtomicInteger crashes = new AtomicInteger();
        // The counts of every batch holding this test's events are written, then the "process" dies before
        // the commit (the connection rolls back, as PostgreSQL does for a vanished client).
        BatchStore crashing = new BatchStore() {
            @Override
            public Map<Integer, Long> offsets(String topic, Collection<Integer> partitions) throws SQLException {
                return store.offsets(topic, partitions);
            }

            @Override
            public ApplyResult apply(Batch batch, Map<Integer, Long> expected) throws SQLException {
                boolean ours = batch.items().stream().anyMatch(i -> i.event().accountId().equals(s.account()));
                if (!ours) {
                    return store.apply(batch, expected);
                }
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    store.applyIn(c, batch, expected);
                    crashes.incrementAndGet();
                    c.rollback();
                    c.setAutoCommit(true);
                }
                throw new IllegalStateException("simulated crash after writing the counts, before the commit");
            }
        };
        ingest.stop();
        IngestWorker crashingReplica = ingest.newWorker(crashing);
        Thread thread = new Thread(crashingReplica, "crashing-replica");
        try {
            Traffic.publish(events);
            thread.start();
            // It crashes, starts over from the stored offsets (like a restarted process), and crashes again.
            await("two crashes", crashes::get, n -> n >= 2);
        } finally {
            crashingReplica.stop();
            thread.join(30_000);
            ingest.start();
        }
        assertEquals(0.0, total(s, "t", m, m + 2 * MINUTE), "nothing of a crashed batch may remain");
        await("all produced messages", () -> total(s, "t", m, m + 2 * MINUTE), n -> n == 700.0);
        await("all consumed messages", () -> consumed(s, "GID_c", "t", m, m + 2 * MINUTE), n -> n == 350.0);
        // Published 50 ms apart from m (35 s in all), acknowledged a minute later.
        assertEquals(List.of(new TrendOperationsTest.Point(m, 700), new TrendOperationsTest.Point(m + MINUTE, 0)),
                trend(s.account(), "OnsTrendTopicInputTps", topicQuery(s, "t", m, m + MINUTE, 0, 1L)).points());
        assertEquals(List.of(new TrendOperationsTest.Point(m, 0), new TrendOperationsTest.Point(m + MINUTE, 350)),
                trend(s.account(), "OnsTrendGroupOutputTps", groupQuery(s, "GID_c", "t", m, m + MINUTE, 0, 1L))
                        .points());
    }

    @Test
    void recordsReadAgainAfterTheOffsetsWentBackAreNotCountedAgain() throws Exception {
        Traffic.Setup s = Traffic.Setup.create(List.of("t", "sentinel"), List.of("GID_c"));
        long m = TimeBuckets.minute(System.currentTimeMillis() - 8 * MINUTE);
        Map<Integer, Long> before = endOffsets();
        List<MessageLifecycleEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(s.published("t", m + i));
            events.add(s.acked("GID_c", "t", m + i));
        }
        Traffic.publish(events);
        await("counted", () -> consumed(s, "GID_c", "t", m, m + MINUTE), n -> n == 300.0);
        await("counted", () -> total(s, "t", m, m + MINUTE), n -> n == 300.0);

        // As if Kafka redelivered everything since: the stored positions go back to before these events.
        ingest.stop();
        try (Connection c = dataSource.getConnection();
                PreparedStatement back = c.prepareStatement(
                        "UPDATE stats.ingest_offset SET next_offset = ? WHERE topic = ? AND partition_no = ?")) {
            for (Map.Entry<Integer, Long> e : before.entrySet()) {
                back.setLong(1, e.getValue());
                back.setString(2, EventTopics.MESSAGE_LIFECYCLE);
                back.setInt(3, e.getKey());
                back.executeUpdate();
            }
        } finally {
            ingest.start();
        }
        drainEveryPartition(s, m + 30_000, before.size());
        assertEquals(300.0, total(s, "t", m, m + MINUTE));
        assertEquals(300.0, consumed(s, "GID_c", "t", m, m + MINUTE));
    }

    @Test
    void aReplicaThatLostItsPartitionCannotCommitOverTheNewOwner() throws Exception {
        Traffic.Setup s = Traffic.Setup.create(List.of("t"), List.of());
        String topic = "fencing-test-" + s.account();
        long m = TimeBuckets.minute(System.currentTimeMillis() - 5 * MINUTE);
        assertEquals(Map.of(0, BatchStore.FROM_BEGINNING), store.offsets(topic, List.of(0)));

        Batch newOwner = new Batch(topic);
        newOwner.add(0, 0, m, Counting.classify(s.published("t", m)));
        newOwner.add(0, 1, m, Counting.classify(s.published("t", m)));
        assertEquals(new BatchStore.ApplyResult(2, 0), store.apply(newOwner, Map.of(0, BatchStore.FROM_BEGINNING)));
        assertEquals(Map.of(0, 2L), store.offsets(topic, List.of(0)));

        // The old owner still believes the partition starts at the beginning.
        Batch zombie = new Batch(topic);
        zombie.add(0, 0, m, Counting.classify(s.published("t", m)));
        assertThrows(BatchStore.OffsetConflictException.class,
                () -> store.apply(zombie, Map.of(0, BatchStore.FROM_BEGINNING)));
        assertEquals(Map.of(0, 2L), store.offsets(topic, List.of(0)));
        assertEquals(2.0, total(s, "t", m, m + MINUTE), "the fenced batch counted nothing");
    }

    @Test
    void twoReplicasShareThePartitionsAndCountEachEventOnce() throws Exception {
        Traffic.Setup s = Traffic.Setup.create(List.of("t", "sentinel"), List.of("GID_c"));
        long m = TimeBuckets.minute(System.currentTimeMillis() - 6 * MINUTE);
        IngestWorker second = ingest.newWorker(store);
        Thread thread = new Thread(second, "second-replica");
        thread.start();
        try {
            List<MessageLifecycleEvent> events = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                events.add(s.published("t", m + i));
                events.add(s.acked("GID_c", "t", m + MINUTE + i));
            }
            Traffic.publish(events.subList(0, 2000));
            await("first half", () -> total(s, "t", m, m + 2 * MINUTE), n -> n == 1000.0);
            // The second replica leaves mid-stream: its partitions go back to the first.
            second.stop();
            thread.join(30_000);
            Traffic.publish(events.subList(2000, 4000));
            await("all produced", () -> total(s, "t", m, m + 2 * MINUTE), n -> n == 2000.0);
            await("all consumed", () -> consumed(s, "GID_c", "t", m, m + 2 * MINUTE), n -> n == 2000.0);
            drainEveryPartition(s, m + 90_000, endOffsets().size());
            assertEquals(2000.0, total(s, "t", m, m + 2 * MINUTE));
            assertEquals(2000.0, consumed(s, "GID_c", "t", m, m + 2 * MINUTE));
        } finally {
            second.stop();
            thread.join(30_000);
        }
    }
}
