package io.openons.message.index;

import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.event.ResourceEventType;
import io.openons.message.config.MessageConfig;
import io.openons.message.consume.ConsumeService;
import io.openons.message.consume.GroupSettings;
import io.openons.message.jdbc.Jdbc;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Keeps the index within its retention and forgets deleted resources: messages older than the retention
 * (delayed ones counted from their delivery time) leave the index with their statistics; finished query tasks
 * and resolved half messages are removed; a deleted topic takes its messages and consume state along, a deleted
 * group its consume state. One replica sweeps at a time (a transaction-scoped advisory lock). Kafka's own
 * retention is set on each topic by resource-service.
 */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
    /** Advisory lock of the sweep ("retent" in ASCII). */
    private static final long SWEEP_LOCK = 0x726574656e74L;
    private static final int DELETE_BATCH = 5_000;

    private final Jdbc jdbc;
    private final IndexRepository index;
    private final MessageConfig config;
    private final ConsumeService consume;
    private final GroupSettings settings;
    /** Deletions of removed resources run here, not on the resource-catalog thread that announces them. */
    private final ExecutorService cleanup = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "resource-cleanup");
        t.setDaemon(true);
        return t;
    });

    RetentionSweeper(Jdbc jdbc, IndexRepository index, MessageConfig config, ConsumeService consume,
            GroupSettings settings) {
        this.jdbc = jdbc;
        this.index = index;
        this.config = config;
        this.consume = consume;
        this.settings = settings;
    }

    @Scheduled(every = "${ons.message.retention-sweep-interval:1m}", delay = 30,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            sweep(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warnf("Retention sweep failed, will retry: %s", e.getMessage());
        }
    }

    /** Removes everything past its time as of {@code now}; answers how many messages left the index. */
    public long sweep(long now) {
        long cutoff = now - config.retention().toMillis();
        List<String> topics = jdbc.read(index::indexedTopics);
        long removed = 0;
        for (String topic : topics) {
            int deleted;
            do {
                deleted = jdbc.inTransaction(c -> locked(c) ? deleteOldMessages(c, topic, cutoff) : 0);
                removed += deleted;
            } while (deleted == DELETE_BATCH);
        }
        jdbc.inTransaction(c -> {
            if (!locked(c)) {
                return null;
            }
            execute(c, "DELETE FROM query_task WHERE expires_at < ?", now);
            execute(c, "DELETE FROM half_message WHERE state <> 'PENDING' AND resolved_at < ?", cutoff);
            // Dead letters and direct deliveries live for the retention period from when they were made.
            execute(c, "DELETE FROM dead_letter WHERE expires_at < ?", now);
            execute(c, "DELETE FROM direct_delivery WHERE expires_at < ?", now);
            // Running data is shown for the last hour; clients gone for a day are forgotten.
            execute(c, "DELETE FROM client_stat WHERE minute < ?", now - 2 * 3_600_000L);
            long forget = now - config.consumer().forgetAfter().toMillis();
            execute(c, "DELETE FROM consumer_subscription WHERE greatest(last_seen, active_until) < ?", forget);
            execute(c, "DELETE FROM consumer_client WHERE greatest(last_seen, active_until) < ?", forget);
            return null;
        });
        if (removed > 0) {
            LOG.infof("Retention removed %d message(s) stored before %d", removed, cutoff);
        }
        return removed;
    }

    private static boolean locked(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, SWEEP_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static int deleteOldMessages(Connection c, String kafkaTopic, long cutoff) throws SQLException {
        Map<Integer, Integer> perPartition = new HashMap<>();
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM message WHERE ctid = ANY(ARRAY("
                + "SELECT ctid FROM message WHERE kafka_topic = ? AND store_timestamp < ? "
                + "AND coalesce(deliver_at, 0) < ? LIMIT " + DELETE_BATCH + ")) RETURNING kafka_partition) "
                + "SELECT kafka_partition, count(*) FROM gone GROUP BY kafka_partition")) {
            ps.setString(1, kafkaTopic);
            ps.setLong(2, cutoff);
            ps.setLong(3, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    perPartition.put(rs.getInt(1), rs.getInt(2));
                    total += rs.getInt(2);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE partition_stats SET message_count = "
                + "greatest(0, message_count - ?) WHERE kafka_topic = ? AND kafka_partition = ?")) {
            for (Map.Entry<Integer, Integer> e : perPartition.entrySet()) {
                ps.setInt(1, e.getValue());
                ps.setString(2, kafkaTopic);
                ps.setInt(3, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return total;
    }

    private static void execute(Connection c, String sql, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, value);
            ps.executeUpdate();
        }
    }

    /** Deleted topics and groups leave no messages or consume state behind. */
    void onResourceChange(@Observes ResourceEvent event) {
        if (event.type() == ResourceEventType.TOPIC_DELETED && event.topic() != null) {
            String kafkaTopic = event.topic().kafkaTopic();
            long deletedAt = event.occurredAt();
            consume.forgetTopic(kafkaTopic);
            cleanup.submit(() -> forgetTopic(kafkaTopic, deletedAt));
        } else if (event.type() == ResourceEventType.GROUP_DELETED && event.group() != null) {
            String instanceId = event.group().instanceId();
            String groupId = event.group().groupId();
            settings.forget(instanceId, groupId);
            cleanup.submit(() -> {
                try {
                    consume.forgetGroup(instanceId, groupId);
                } catch (RuntimeException e) {
                    LOG.warnf("Could not remove the consume state of deleted group %s: %s", groupId, e.getMessage());
                }
            });
        }
    }

    /**
     * Removes a deleted topic's messages and consume state. Only what was stored before the deletion goes: a
     * topic re-created under the same name (same Kafka topic name) keeps its new messages.
     */
    void forgetTopic(String kafkaTopic, long deletedAt) {
        try {
            jdbc.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM message WHERE kafka_topic = ? "
                        + "AND store_timestamp <= ?")) {
                    ps.setString(1, kafkaTopic);
                    ps.setLong(2, deletedAt);
                    ps.executeUpdate();
                }
                // Pending resends and pushes of the deleted topic: a topic re-created under the same name must
                // not receive them.
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM direct_delivery WHERE kafka_topic = ? "
                        + "AND created_at <= ?")) {
                    ps.setString(1, kafkaTopic);
                    ps.setLong(2, deletedAt);
                    ps.executeUpdate();
                }
                for (String sql : List.of("DELETE FROM partition_stats WHERE kafka_topic = ?",
                        "DELETE FROM consume_cursor WHERE kafka_topic = ?", "DELETE FROM inflight WHERE kafka_topic = ?",
                        "DELETE FROM half_message WHERE kafka_topic = ?")) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setString(1, kafkaTopic);
                        ps.executeUpdate();
                    }
                }
                return null;
            });
            consume.forgetTopic(kafkaTopic);
            LOG.infof("Removed the index and consume state of deleted Kafka topic %s", kafkaTopic);
        } catch (RuntimeException e) {
            LOG.warnf("Could not remove the index of deleted Kafka topic %s: %s", kafkaTopic, e.getMessage());
        }
    }
}
