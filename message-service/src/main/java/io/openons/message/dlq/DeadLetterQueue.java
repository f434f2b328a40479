package io.openons.message.dlq;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.message.config.MessageConfig;
import io.openons.message.consumer.ClientStats;
import io.openons.message.jdbc.Jdbc;
import io.openons.message.lifecycle.EventBuilder;
import io.openons.message.lifecycle.LifecycleEvents;
import io.openons.service.catalog.ResourceCatalog;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Moves deliveries that exhausted their group's retries into the group's dead-letter queue
 * (docs/decisions/0501-retries-and-dead-letters.md): a delivery whose invisibility ended after
 * {@code 1 + maxReconsumeTimes} deliveries is not delivered again; a copy of the message is stored in
 * {@code dead_letter} (kept for the retention period from then), its in-flight row is removed, and
 * CONSUME_FAILED (the last attempt) and DEAD_LETTERED are emitted. The consume path does this for the rows it
 * meets; {@link #sweep()} does it for groups nobody polls, so a message reaches the DLQ on time either way. All
 * of it runs under row locks taken {@code SKIP LOCKED}: replicas never move one delivery twice.
 */
@ApplicationScoped
public class DeadLetterQueue {

    private static final Logger LOG = Logger.getLogger(DeadLetterQueue.class);
    private static final int SWEEP_BATCH = 500;

    private final Jdbc jdbc;
    private final ResourceCatalog catalog;
    private final LifecycleEvents events;
    private final MessageConfig config;
    private final Counter deadLettered;
    private final Counter pushesDropped;

    DeadLetterQueue(Jdbc jdbc, ResourceCatalog catalog, LifecycleEvents events, MessageConfig config,
            MeterRegistry registry) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.events = events;
        this.config = config;
        this.deadLettered = registry.counter("ons_message_dead_lettered");
        this.pushesDropped = registry.counter("ons_message_push_dropped");
    }

    /** A due in-flight delivery that exhausted its retries (locked by the caller). */
    public record Exhausted(String instanceId, String groupId, String msgId, int partition, long offset,
            int consumedTimes, Long firstConsumeTime, Long deliveredAt, String clientHost, String clientId) {
    }

    /**
     * Dead-letters exhausted in-flight deliveries in the caller's transaction; the events go to {@code emitted}
     * (emit them after the commit), the failures to {@code stats}.
     */
    public void deadLetter(Connection c, List<Exhausted> rows, long now, List<MessageLifecycleEvent> emitted,
            ClientStats.Batch stats) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        long expires = now + config.retention().toMillis();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO dead_letter (account_id, instance_id, "
                + "group_id, msg_id, topic, kafka_topic, kafka_partition, kafka_offset, tag, keys, properties, body, "
                + "body_crc, store_size, born_timestamp, born_host, store_timestamp, reconsume_times, "
                + "first_consume_time, dead_at, expires_at) SELECT account_id, ?, ?, msg_id, topic, kafka_topic, "
                + "kafka_partition, kafka_offset, tag, keys, properties, body, body_crc, store_size, born_timestamp, "
                + "born_host, store_timestamp, ?, ?, ?, ? FROM message WHERE msg_id = ? "
                + "RETURNING entry_id, account_id, topic, tag, array_to_string(keys, ' '), octet_length(body), "
                + "store_timestamp");
                PreparedStatement delete = c.prepareStatement("DELETE FROM inflight WHERE instance_id = ? "
                        + "AND group_id = ? AND msg_id = ? AND consumed_times = ?")) {
            for (Exhausted r : rows) {
                // The delete claims the delivery: a concurrent mover (the consume path of another replica, or the
                // sweep) blocks on the row and then deletes nothing, so one delivery is dead-lettered once.
                delete.setString(1, r.instanceId());
                delete.setString(2, r.groupId());
                delete.setString(3, r.msgId());
                delete.setInt(4, r.consumedTimes());
                if (delete.executeUpdate() == 0) {
                    continue;
                }
                insert.setString(1, r.instanceId());
                insert.setString(2, r.groupId());
                insert.setInt(3, r.consumedTimes() - 1);
                insert.setObject(4, r.firstConsumeTime());
                insert.setLong(5, now);
                insert.setLong(6, expires);
                insert.setString(7, r.msgId());
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        Integer type = messageType(r.instanceId(), rs.getString(3));
                        emitted.addAll(events(rs.getLong(1), rs.getString(2), r.instanceId(), rs.getString(3),
                                type, r.groupId(), r.msgId(), rs.getString(4), rs.getString(5), rs.getInt(6),
                                rs.getLong(7), r.partition(), r.offset(), r.consumedTimes(), r.deliveredAt(),
                                r.clientHost(), r.clientId(), now, r.groupId() + "/" + r.consumedTimes()));
                        stats.failed(r.instanceId(), r.groupId(), r.clientId(), rs.getString(3));
                        deadLettered.increment();
                    }
                    // else: the message left the index (retention); nothing is left to dead-letter.
                }
            }
        }
    }

    /** A due direct delivery (a resent dead letter or a pushed message) that exhausted its retries. */
    public record ExhaustedDirect(String instanceId, String groupId, String msgId, String kind, Long dlqEntryId,
            int consumedTimes, Long firstConsumeTime, Long deliveredAt, String clientHost, String clientId) {
    }

    /**
     * A resent dead letter that failed again re-enters the DLQ under the same id (a new entry); a pushed message
     * that is never acknowledged is dropped (it belongs to no topic stream).
     */
    public void deadLetterDirect(Connection c, List<ExhaustedDirect> rows, long now,
            List<MessageLifecycleEvent> emitted, ClientStats.Batch stats) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        long expires = now + config.retention().toMillis();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO dead_letter (account_id, instance_id, "
                + "group_id, msg_id, topic, kafka_topic, kafka_partition, kafka_offset, tag, keys, properties, body, "
                + "body_crc, store_size, born_timestamp, born_host, store_timestamp, reconsume_times, "
                + "first_consume_time, dead_at, expires_at) SELECT account_id, instance_id, group_id, msg_id, topic, "
                + "kafka_topic, coalesce(kafka_partition, 0), coalesce(kafka_offset, 0), tag, keys, properties, body, "
                + "body_crc, store_size, born_timestamp, born_host, store_timestamp, ?, ?, ?, ? FROM direct_delivery "
                + "WHERE instance_id = ? AND group_id = ? AND msg_id = ? "
                + "RETURNING entry_id, account_id, topic, tag, array_to_string(keys, ' '), octet_length(body), "
                + "store_timestamp, kafka_partition, kafka_offset");
                PreparedStatement lock = c.prepareStatement("SELECT topic FROM direct_delivery WHERE instance_id = ? "
                        + "AND group_id = ? AND msg_id = ? FOR UPDATE");
                PreparedStatement delete = c.prepareStatement("DELETE FROM direct_delivery WHERE instance_id = ? "
                        + "AND group_id = ? AND msg_id = ?")) {
            for (ExhaustedDirect r : rows) {
                // The row lock claims the delivery: a concurrent mover waits, then finds the row gone and skips it,
                // so one delivery is dead-lettered (or dropped) once.
                lock.setString(1, r.instanceId());
                lock.setString(2, r.groupId());
                lock.setString(3, r.msgId());
                String topic;
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    topic = rs.getString(1);
                }
                stats.failed(r.instanceId(), r.groupId(), r.clientId(), topic);
                if ("RESEND".equals(r.kind())) {
                    insert.setInt(1, r.consumedTimes() - 1);
                    insert.setObject(2, r.firstConsumeTime());
                    insert.setLong(3, now);
                    insert.setLong(4, expires);
                    insert.setString(5, r.instanceId());
                    insert.setString(6, r.groupId());
                    insert.setString(7, r.msgId());
                    try (ResultSet rs = insert.executeQuery()) {
                        if (rs.next()) {
                            Integer type = messageType(r.instanceId(), rs.getString(3));
                            emitted.addAll(events(rs.getLong(1), rs.getString(2), r.instanceId(), rs.getString(3),
                                    type, r.groupId(), r.msgId(), rs.getString(4), rs.getString(5), rs.getInt(6),
                                    rs.getLong(7), rs.getInt(8), rs.getLong(9), r.consumedTimes(), r.deliveredAt(),
                                    r.clientHost(), r.clientId(), now,
                                    r.groupId() + "/dlq" + r.dlqEntryId() + "/" + r.consumedTimes()));
                        }
                    }
                    deadLettered.increment();
                } else {
                    pushesDropped.increment();
                }
                delete.setString(1, r.instanceId());
                delete.setString(2, r.groupId());
                delete.setString(3, r.msgId());
                delete.executeUpdate();
            }
        }
    }

    private List<MessageLifecycleEvent> events(long entryId, String accountId, String instanceId, String topic,
            Integer type, String groupId, String msgId, String tag, String keys, int bodySize, long storeTimestamp,
            int partition, long offset, int consumedTimes, Long deliveredAt, String clientHost, String clientId,
            long now, String failedSuffix) {
        List<MessageLifecycleEvent> out = new ArrayList<>(2);
        out.add(EventBuilder.of(MessageLifecycleEventType.CONSUME_FAILED, msgId).idSuffix(failedSuffix)
                .topic(accountId, instanceId, topic, type).message(tag, emptyToNull(keys), bodySize)
                .stored(null, partition, offset)
                .consumer(groupId, clientId, clientHost, consumedTimes - 1, deliveredAt)
                .cost(deliveredAt == null ? null : now - deliveredAt)
                .reason("not acknowledged before its invisibility ended").occurredAt(now).build());
        out.add(EventBuilder.of(MessageLifecycleEventType.DEAD_LETTERED, msgId).idSuffix(groupId + "/" + entryId)
                .topic(accountId, instanceId, topic, type).message(tag, emptyToNull(keys), bodySize)
                .stored(storeTimestamp, partition, offset)
                .consumer(groupId, clientId, clientHost, consumedTimes - 1, deliveredAt)
                .reason("reached the maximum reconsume count (" + (consumedTimes - 1) + ") of the group")
                .occurredAt(now).build());
        return out;
    }

    private Integer messageType(String instanceId, String topic) {
        try {
            return catalog.topic(instanceId, topic).map(e -> e.resource().messageType()).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * Dead-letters the exhausted deliveries of every group, also of groups no consumer polls any more (the
     * consume path only meets the rows of the topics it is asked for).
     */
    @Scheduled(every = "${ons.message.consumer.dead-letter-sweep-interval:1s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            int moved;
            do {
                List<MessageLifecycleEvent> emitted = new ArrayList<>();
                moved = jdbc.inTransaction(c -> {
                    emitted.clear();
                    return sweepOnce(c, System.currentTimeMillis(), emitted);
                });
                events.emitAll(emitted);
            } while (moved == SWEEP_BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("Dead-letter sweep failed: %s", e.getMessage());
        }
    }

    int sweepOnce(Connection c, long now, List<MessageLifecycleEvent> emitted) throws SQLException {
        int defaultMax = config.consumer().maxReconsumeTimes();
        List<Exhausted> exhausted = Jdbc.list(c, "SELECT i.instance_id, i.group_id, i.msg_id, i.kafka_partition, "
                + "i.kafka_offset, i.consumed_times, i.first_consume_time, i.delivered_at, i.client_host, i.client_id "
                + "FROM inflight i LEFT JOIN group_setting s ON s.instance_id = i.instance_id "
                + "AND s.group_id = i.group_id WHERE i.receipt_handle IS NOT NULL AND i.visible_at <= ? "
                + "AND i.consumed_times > coalesce(s.max_reconsume_times, ?) ORDER BY i.visible_at LIMIT "
                + SWEEP_BATCH + " FOR UPDATE OF i SKIP LOCKED", ps -> {
                    ps.setLong(1, now);
                    ps.setInt(2, defaultMax);
                }, rs -> new Exhausted(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getLong(5), rs.getInt(6), nullableLong(rs, 7), nullableLong(rs, 8), rs.getString(9),
                        rs.getString(10)));
        List<ExhaustedDirect> direct = Jdbc.list(c, "SELECT d.instance_id, d.group_id, d.msg_id, d.kind, "
                + "d.dlq_entry_id, d.consumed_times, d.first_consume_time, d.delivered_at, d.client_host, d.client_id "
                + "FROM direct_delivery d LEFT JOIN group_setting s ON s.instance_id = d.instance_id "
                + "AND s.group_id = d.group_id WHERE d.receipt_handle IS NOT NULL AND d.visible_at <= ? "
                + "AND d.consumed_times > coalesce(s.max_reconsume_times, ?) ORDER BY d.visible_at LIMIT "
                + SWEEP_BATCH + " FOR UPDATE OF d SKIP LOCKED", ps -> {
                    ps.setLong(1, now);
                    ps.setInt(2, defaultMax);
                }, rs -> new ExhaustedDirect(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        nullableLong(rs, 5), rs.getInt(6), nullableLong(rs, 7), nullableLong(rs, 8),
                        rs.getString(9), rs.getString(10)));
        ClientStats.Batch stats = new ClientStats.Batch();
        deadLetter(c, exhausted, now, emitted, stats);
        deadLetterDirect(c, direct, now, emitted, stats);
        ClientStats.write(c, stats, now);
        return Math.max(exhausted.size(), direct.size());
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
