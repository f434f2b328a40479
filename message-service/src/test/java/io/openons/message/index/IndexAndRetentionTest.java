package io.openons.message.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.message.jdbc.Jdbc;
import io.openons.message.model.MessageIds;
import io.openons.message.support.TestResources;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Index batches are idempotent; retention removes old messages together with their statistics. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class IndexAndRetentionTest {

    @Inject
    Jdbc jdbc;

    @Inject
    IndexRepository index;

    @Inject
    RetentionSweeper sweeper;

    private static IndexRow row(String kafkaTopic, int offset, long stored) {
        return row("ID" + kafkaTopic.hashCode() + "_" + offset, kafkaTopic, offset, stored);
    }

    private static IndexRow row(String msgId, String kafkaTopic, int offset, long stored) {
        byte[] body = ("b" + offset).getBytes(StandardCharsets.UTF_8);
        return new IndexRow(msgId, kafkaTopic, 0, offset, "1", "I", "T", 0,
                null, List.of("k"), null, stored, stored, null, null, null, body, body.length, 0);
    }

    private IndexRepository.IndexedBatch insert(List<IndexRow> batch) {
        return jdbc.inTransaction(c -> index.insert(c, batch));
    }

    private long count(String kafkaTopic, String table) {
        return jdbc.read(c -> {
            String sql = table.equals("message") ? "SELECT count(*) FROM message WHERE kafka_topic = ?"
                    : "SELECT coalesce(sum(message_count), 0) FROM partition_stats WHERE kafka_topic = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, kafkaTopic);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void reindexingABatchChangesNothingAndRetentionRemovesOldMessages() {
        String kafkaTopic = "I." + TestResources.unique("idx");
        long now = System.currentTimeMillis();
        List<IndexRow> batch = List.of(row(kafkaTopic, 0, now - 5_000), row(kafkaTopic, 1, now - 4_000),
                row(kafkaTopic, 2, now));
        assertEquals(3, insert(batch).inserted().size());
        assertEquals(0, insert(batch).inserted().size(), "a restart re-reads the batch");
        assertEquals(3, count(kafkaTopic, "message"));
        assertEquals(3, count(kafkaTopic, "stats"), "statistics count rows really inserted");

        // With a 72 h retention, a sweep 72 h and 4.5 s later removes the two oldest.
        long removed = sweeper.sweep(now + 72 * 3_600_000L - 500);
        assertTrue(removed >= 2, "removed " + removed);
        assertEquals(1, count(kafkaTopic, "message"));
        assertEquals(1, count(kafkaTopic, "stats"));
    }

    /**
     * Kafka-native producers choose their ids: one already used in another topic (another account's) is a message
     * of its own and must reach its consumers; the same id again in the same topic is a retried send.
     */
    @Test
    void anIdTakenInAnotherTopicIsIndexedUnderItsPositionAndARepeatInTheSameTopicIsNot() {
        String first = "I." + TestResources.unique("ida");
        String second = "I." + TestResources.unique("idb");
        String id = MessageIds.next();
        long now = System.currentTimeMillis();
        assertEquals(Set.of(id), insert(List.of(row(id, first, 0, now))).inserted());

        List<IndexRow> batch = List.of(row(id, second, 0, now), row(id, first, 1, now));
        IndexRepository.IndexedBatch indexed = insert(batch);
        String own = MessageIds.forPosition(second, 0, 0);
        assertEquals(List.of(own, id), indexed.rows().stream().map(IndexRow::msgId).toList(),
                "the other topic's message gets its position's id; the repeat keeps the id");
        assertEquals(Set.of(own), indexed.inserted());
        assertEquals(1, count(second, "message"));
        assertEquals(1, count(first, "message"), "a retried send in the same topic is not indexed twice");
        assertEquals(1, count(first, "stats"));

        IndexRepository.IndexedBatch again = insert(batch);
        assertEquals(Set.of(), again.inserted(), "a restart re-reads the batch");
        assertEquals(List.of(own, id), again.rows().stream().map(IndexRow::msgId).toList(),
                "the re-read finds the id its position was given");

        String third = "I." + TestResources.unique("idc");
        String shared = MessageIds.next();
        IndexRepository.IndexedBatch together = insert(List.of(row(shared, third, 0, now), row(shared, second, 1, now)));
        assertEquals(Set.of(shared, MessageIds.forPosition(second, 0, 1)), together.inserted(),
                "two topics' messages with one id in the same batch are both indexed");
        assertEquals(2, count(second, "message"));
    }
}
