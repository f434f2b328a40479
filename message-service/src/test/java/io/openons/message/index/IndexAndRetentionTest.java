package io.openons.message.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.message.jdbc.Jdbc;
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
        byte[] body = ("b" + offset).getBytes(StandardCharsets.UTF_8);
        return new IndexRow("ID" + kafkaTopic.hashCode() + "_" + offset, kafkaTopic, 0, offset, "1", "I", "T", 0,
                null, List.of("k"), null, stored, stored, null, null, null, body, body.length, 0);
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
        assertEquals(3, jdbc.inTransaction(c -> index.insert(c, batch)).size());
        assertEquals(0, jdbc.inTransaction(c -> index.insert(c, batch)).size(), "a restart re-reads the batch");
        assertEquals(3, count(kafkaTopic, "message"));
        assertEquals(3, count(kafkaTopic, "stats"), "statistics count rows really inserted");

        // With a 72 h retention, a sweep 72 h and 4.5 s later removes the two oldest.
        long removed = sweeper.sweep(now + 72 * 3_600_000L - 500);
        assertTrue(removed >= 2, "removed " + removed);
        assertEquals(1, count(kafkaTopic, "message"));
        assertEquals(1, count(kafkaTopic, "stats"));
    }
}
