package io.openons.message.consume;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.messaging.AckResult;
import io.openons.contracts.messaging.ConsumeMode;
import io.openons.contracts.messaging.ConsumedMessage;
import io.openons.message.access.MessagingAccess;
import io.openons.message.consumer.ClientStats;
import io.openons.message.dlq.DeadLetterQueue;
import io.openons.message.jdbc.Jdbc;
import io.openons.message.lifecycle.EventBuilder;
import io.openons.message.lifecycle.LifecycleEvents;
import io.openons.message.model.Digests;
import io.openons.message.model.TagExpression;
import io.openons.message.publish.MessageRules;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes messages for a group and acknowledges them, on PostgreSQL (docs/decisions/0100-consume-state.md).
 *
 * <p>Per (group, Kafka topic, partition) a cursor row says which offsets the group has examined; a consumer
 * takes fresh messages by locking cursor rows {@code FOR UPDATE SKIP LOCKED} (two consumers, of any replica,
 * never read one partition at once), reading the index after the cursor, applying the tag filter, recording
 * each delivery as an {@code inflight} row (with its receipt handle and visibility time) and moving the cursor,
 * all in one transaction. A delivery not acked in time is due again: its row is locked {@code SKIP LOCKED},
 * given a new handle and delivered again. An ack deletes the row holding that handle while it is still valid.
 * Nothing is handed out twice while its handle is valid, and an acked message is never delivered again.
 */
@ApplicationScoped
public class ConsumeService {

    private static final TypeReference<LinkedHashMap<String, String>> PROPERTIES = new TypeReference<>() {
    };
    /** Index rows read per step while scanning a partition after its cursor. */
    private static final int SCAN_STEP = 256;

    private final Jdbc jdbc;
    private final LifecycleEvents events;
    private final DeadLetterQueue deadLetters;
    private final DirectDeliveries direct;
    private final ObjectMapper json;
    private final Counter delivered;
    private final Counter redelivered;
    private final Counter acked;
    private final Counter ackFailed;
    /** Groups × topics whose cursor rows are known to exist, with the partition count they were made for. */
    private final Map<String, Integer> cursorsMade = new ConcurrentHashMap<>();

    ConsumeService(Jdbc jdbc, LifecycleEvents events, ObjectMapper json, MeterRegistry registry,
            DeadLetterQueue deadLetters, DirectDeliveries direct) {
        this.jdbc = jdbc;
        this.events = events;
        this.deadLetters = deadLetters;
        this.direct = direct;
        this.json = json;
        this.delivered = registry.counter("ons_message_delivered", "kind", "first");
        this.redelivered = registry.counter("ons_message_delivered", "kind", "redelivery");
        this.acked = registry.counter("ons_message_acked", "outcome", "success");
        this.ackFailed = registry.counter("ons_message_acked", "outcome", "invalid_handle");
    }

    /**
     * One consume request, resolved and authorised.
     *
     * @param maxReconsumeTimes the group's maximum reconsume count: a due delivery that had {@code 1 + max}
     *                          deliveries is dead-lettered instead of delivered again
     */
    public record Take(MessagingAccess.TopicAccess topic, ResourceEvent.GroupRecord group, int max,
            TagExpression tags, ConsumeMode mode, long invisibleMillis, String clientHost, String clientId,
            int maxReconsumeTimes) {

        Take withMax(int newMax) {
            return new Take(topic, group, newMax, tags, mode, invisibleMillis, clientHost, clientId,
                    maxReconsumeTimes);
        }
    }

    /**
     * Takes up to {@code max} messages for the group, or none: first messages addressed to this group outside
     * the topic's stream (pushes to this client, resent dead letters), then redeliveries, then fresh messages.
     */
    public List<ConsumedMessage> take(Take t) {
        List<MessageLifecycleEvent> emitted = new ArrayList<>();
        List<ConsumedMessage> out = jdbc.inTransaction(c -> {
            emitted.clear();
            long now = System.currentTimeMillis();
            ClientStats.Batch stats = new ClientStats.Batch();
            List<ConsumedMessage> result = new ArrayList<>(direct.take(c, t, now, emitted, stats));
            if (result.size() < t.max()) {
                Take rest = t.withMax(t.max() - result.size());
                List<Delivery> deliveries = t.mode() == ConsumeMode.ORDERLY
                        ? takeOrdered(c, rest, now, emitted, stats) : takeUnordered(c, rest, now, emitted, stats);
                if (!deliveries.isEmpty()) {
                    result.addAll(render(c, rest, deliveries, now, emitted, stats));
                }
            }
            ClientStats.write(c, stats, now);
            return result;
        });
        events.emitAll(emitted);
        return out;
    }

    /**
     * When the group's next delivery of the topic becomes due (a redelivery, a delayed message, a resend), or
     * null when none is waiting: a long poll wakes then instead of at its next recheck, so redeliveries go out
     * on time.
     */
    public Long nextDueAt(Take t) {
        return jdbc.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT least((SELECT min(visible_at) FROM inflight "
                    + "WHERE instance_id = ? AND group_id = ? AND kafka_topic = ? AND visible_at > ?), "
                    + "(SELECT min(visible_at) FROM direct_delivery WHERE instance_id = ? AND group_id = ? "
                    + "AND kafka_topic = ? AND visible_at > ?))")) {
                long now = System.currentTimeMillis();
                for (int base : new int[] {0, 4}) {
                    ps.setString(base + 1, t.topic().instanceId());
                    ps.setString(base + 2, t.group().groupId());
                    ps.setString(base + 3, t.topic().kafkaTopic());
                    ps.setLong(base + 4, now);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return nullableLong(rs, 1);
                }
            }
        });
    }

    // ---- unordered ----

    private List<Delivery> takeUnordered(Connection c, Take t, long now, List<MessageLifecycleEvent> emitted,
            ClientStats.Batch stats) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        redeliverDue(c, t, now, out, emitted, stats);
        if (out.size() < t.max()) {
            for (Cursor cursor : lockCursors(c, t)) {
                scan(c, t, cursor, now, out, false);
                if (out.size() >= t.max()) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Deliveries whose invisibility ended without an ack, and delayed messages that came due; deliveries that
     * exhausted the group's retries go to its dead-letter queue instead.
     */
    private void redeliverDue(Connection c, Take t, long now, List<Delivery> out,
            List<MessageLifecycleEvent> emitted, ClientStats.Batch stats) throws SQLException {
        List<Delivery> due = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        List<DeadLetterQueue.Exhausted> exhausted = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.msg_id, i.kafka_partition, i.kafka_offset, "
                + "i.receipt_handle, i.consumed_times, i.first_consume_time, i.delivered_at, i.client_host, m.tag, "
                + "m.msg_id IS NULL, i.client_id FROM inflight i LEFT JOIN message m ON m.msg_id = i.msg_id "
                + "WHERE i.instance_id = ? AND i.group_id = ? AND i.kafka_topic = ? AND i.visible_at <= ? "
                + "ORDER BY i.visible_at LIMIT ? FOR UPDATE OF i SKIP LOCKED")) {
            ps.setString(1, t.topic().instanceId());
            ps.setString(2, t.group().groupId());
            ps.setString(3, t.topic().kafkaTopic());
            ps.setLong(4, now);
            ps.setInt(5, t.max() + 16);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && due.size() < t.max() - out.size()) {
                    String msgId = rs.getString(1);
                    if (rs.getBoolean(10)) {
                        gone.add(msgId);
                        continue;
                    }
                    if (rs.getString(4) != null && rs.getInt(5) > t.maxReconsumeTimes()) {
                        exhausted.add(new DeadLetterQueue.Exhausted(t.topic().instanceId(), t.group().groupId(),
                                msgId, rs.getInt(2), rs.getLong(3), rs.getInt(5), nullableLong(rs, 6),
                                nullableLong(rs, 7), rs.getString(8), rs.getString(11)));
                        continue;
                    }
                    if (!t.tags().matches(rs.getString(9))) {
                        continue;
                    }
                    due.add(Delivery.again(msgId, rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getInt(5),
                            nullableLong(rs, 6), nullableLong(rs, 7), rs.getString(8), rs.getString(11)));
                }
            }
        }
        if (!gone.isEmpty()) {
            // Their messages left the index (retention): nothing is left to deliver.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM inflight WHERE instance_id = ? AND "
                    + "group_id = ? AND msg_id = ANY(?)")) {
                ps.setString(1, t.topic().instanceId());
                ps.setString(2, t.group().groupId());
                ps.setArray(3, Jdbc.textArray(c, gone));
                ps.executeUpdate();
            }
        }
        deadLetters.deadLetter(c, exhausted, now, emitted, stats);
        markDelivered(c, t, due, now);
        out.addAll(due);
    }

    // ---- ordered ----

    private List<Delivery> takeOrdered(Connection c, Take t, long now, List<MessageLifecycleEvent> emitted,
            ClientStats.Batch stats) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        List<DeadLetterQueue.Exhausted> exhausted = new ArrayList<>();
        for (Cursor cursor : lockCursors(c, t)) {
            List<Delivery> pending = new ArrayList<>();
            boolean blocked = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT msg_id, kafka_offset, receipt_handle, visible_at, "
                    + "consumed_times, first_consume_time, delivered_at, client_host, client_id FROM inflight "
                    + "WHERE instance_id = ? AND group_id = ? AND kafka_topic = ? AND kafka_partition = ? "
                    + "ORDER BY kafka_offset")) {
                ps.setString(1, t.topic().instanceId());
                ps.setString(2, t.group().groupId());
                ps.setString(3, t.topic().kafkaTopic());
                ps.setInt(4, cursor.partition);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(4) <= now && rs.getString(3) != null && rs.getInt(5) > t.maxReconsumeTimes()) {
                            // Exhausted: dead-lettered, so it no longer holds the partition back.
                            exhausted.add(new DeadLetterQueue.Exhausted(t.topic().instanceId(), t.group().groupId(),
                                    rs.getString(1), cursor.partition, rs.getLong(2), rs.getInt(5),
                                    nullableLong(rs, 6), nullableLong(rs, 7), rs.getString(8), rs.getString(9)));
                            continue;
                        }
                        blocked = true;
                        if (rs.getLong(4) <= now && pending.size() < t.max() - out.size()) {
                            pending.add(Delivery.again(rs.getString(1), cursor.partition, rs.getLong(2),
                                    rs.getString(3), rs.getInt(5), nullableLong(rs, 6), nullableLong(rs, 7),
                                    rs.getString(8), rs.getString(9)));
                        } else if (rs.getLong(4) > now) {
                            // An earlier delivery is still invisible: nothing after it may go out before it.
                            break;
                        }
                    }
                }
            }
            if (blocked) {
                markDelivered(c, t, pending, now);
                out.addAll(pending);
            } else {
                scan(c, t, cursor, now, out, true);
            }
            if (out.size() >= t.max()) {
                break;
            }
        }
        deadLetters.deadLetter(c, exhausted, now, emitted, stats);
        return out;
    }

    // ---- fresh messages after a cursor ----

    private static final class Cursor {
        final int partition;
        final long nextOffset;
        final long startTimestamp;

        Cursor(int partition, long nextOffset, long startTimestamp) {
            this.partition = partition;
            this.nextOffset = nextOffset;
            this.startTimestamp = startTimestamp;
        }
    }

    /** Locks the group's cursor rows of the topic that no other consumer holds, in random order (fairness). */
    private List<Cursor> lockCursors(Connection c, Take t) throws SQLException {
        ensureCursors(c, t);
        List<Cursor> cursors = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT kafka_partition, next_offset, start_timestamp "
                + "FROM consume_cursor WHERE instance_id = ? AND group_id = ? AND kafka_topic = ? "
                + "FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, t.topic().instanceId());
            ps.setString(2, t.group().groupId());
            ps.setString(3, t.topic().kafkaTopic());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cursors.add(new Cursor(rs.getInt(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        Collections.shuffle(cursors);
        return cursors;
    }

    /**
     * Creates the group's cursors for the topic's partitions when missing. A new group starts at the messages
     * stored since the group was created (docs/decisions/0100-consume-state.md).
     */
    private void ensureCursors(Connection c, Take t) throws SQLException {
        String key = t.topic().instanceId() + "/" + t.group().groupId() + "/" + t.topic().kafkaTopic() + "/"
                + t.group().createTime();
        int partitions = t.topic().topic().partitions();
        Integer made = cursorsMade.get(key);
        if (made != null && made >= partitions) {
            return;
        }
        createCursors(c, t.topic().instanceId(), t.group().groupId(), t.topic().kafkaTopic(), partitions,
                t.group().createTime());
        // Only after this transaction commits are the rows certainly there; remember it optimistically, the
        // next take re-creates them if the transaction failed (the insert is idempotent).
        cursorsMade.put(key, partitions);
    }

    /**
     * Creates missing cursor rows of a group for a Kafka topic, each at the first offset stored at or after
     * {@code startTimestamp} (past the partition's end when none is), so that the backlog counts only what the
     * group is to consume from the start.
     */
    public static void createCursors(Connection c, String instanceId, String groupId, String kafkaTopic,
            int partitions, long startTimestamp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO consume_cursor (instance_id, group_id, "
                + "kafka_topic, kafka_partition, next_offset, start_timestamp) SELECT ?, ?, ?, p, "
                + "coalesce((SELECT min(m.kafka_offset) FROM message m WHERE m.kafka_topic = ? "
                + "AND m.kafka_partition = p AND m.store_timestamp >= ?), "
                + "(SELECT s.max_offset + 1 FROM partition_stats s WHERE s.kafka_topic = ? AND s.kafka_partition = p), "
                + "0), ? FROM generate_series(0, ? - 1) AS p ON CONFLICT DO NOTHING")) {
            ps.setString(1, instanceId);
            ps.setString(2, groupId);
            ps.setString(3, kafkaTopic);
            ps.setString(4, kafkaTopic);
            ps.setLong(5, startTimestamp);
            ps.setString(6, kafkaTopic);
            ps.setLong(7, startTimestamp);
            ps.setInt(8, partitions);
            ps.executeUpdate();
        }
    }

    /**
     * Scans one locked partition after its cursor: matching messages become deliveries, delayed ones are
     * parked until their time, others are passed over; the cursor moves past everything examined.
     *
     * @param ordered stop at a delayed message instead of passing it (order must hold)
     */
    private void scan(Connection c, Take t, Cursor cursor, long now, List<Delivery> out, boolean ordered)
            throws SQLException {
        long next = cursor.nextOffset;
        List<Delivery> fresh = new ArrayList<>();
        List<Delivery> parked = new ArrayList<>();
        boolean more = true;
        scanning:
        while (more && out.size() + fresh.size() < t.max()) {
            int read = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT msg_id, kafka_offset, tag, store_timestamp, "
                    + "deliver_at FROM message WHERE kafka_topic = ? AND kafka_partition = ? AND kafka_offset >= ? "
                    + "ORDER BY kafka_offset LIMIT " + SCAN_STEP)) {
                ps.setString(1, t.topic().kafkaTopic());
                ps.setInt(2, cursor.partition);
                ps.setLong(3, next);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        if (out.size() + fresh.size() >= t.max()) {
                            more = false;
                            break;
                        }
                        String msgId = rs.getString(1);
                        long offset = rs.getLong(2);
                        String tag = rs.getString(3);
                        long stored = rs.getLong(4);
                        Long deliverAt = nullableLong(rs, 5);
                        if (stored < cursor.startTimestamp || !t.tags().matches(tag)) {
                            next = offset + 1;
                            continue;
                        }
                        if (deliverAt != null && deliverAt > now) {
                            if (ordered) {
                                more = false;
                                break scanning;
                            }
                            parked.add(Delivery.delayed(msgId, cursor.partition, offset, deliverAt));
                        } else {
                            fresh.add(Delivery.first(msgId, cursor.partition, offset));
                        }
                        next = offset + 1;
                    }
                }
            }
            if (read < SCAN_STEP) {
                more = false;
            }
        }
        out.addAll(insertInflight(c, t, fresh, parked, now));
        if (next != cursor.nextOffset) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE consume_cursor SET next_offset = ? "
                    + "WHERE instance_id = ? AND group_id = ? AND kafka_topic = ? AND kafka_partition = ?")) {
                ps.setLong(1, next);
                ps.setString(2, t.topic().instanceId());
                ps.setString(3, t.group().groupId());
                ps.setString(4, t.topic().kafkaTopic());
                ps.setInt(5, cursor.partition);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Records fresh deliveries and parked delayed messages; answers the fresh deliveries really recorded. A
     * message the group already has in flight (the cursor was reset behind it) keeps its pending delivery and is
     * not handed out a second time.
     */
    private List<Delivery> insertInflight(Connection c, Take t, List<Delivery> fresh, List<Delivery> parked,
            long now) throws SQLException {
        List<Delivery> recorded = new ArrayList<>(fresh.size());
        if (!fresh.isEmpty()) {
            for (Delivery d : fresh) {
                d.handle = ReceiptHandles.next(d.msgId);
                d.consumedTimes = 1;
                d.firstConsumeTime = now;
                d.deliveredAt = now;
                d.visibleAt = now + t.invisibleMillis();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inflight (instance_id, group_id, msg_id, "
                    + "kafka_topic, kafka_partition, kafka_offset, receipt_handle, visible_at, consumed_times, "
                    + "first_consume_time, delivered_at, client_host, client_id) SELECT ?, ?, u.msg_id, ?, "
                    + "u.kafka_partition, u.kafka_offset, u.handle, ?, 1, ?, ?, ?, ? "
                    + "FROM unnest(?::text[], ?::int[], ?::bigint[], ?::text[]) "
                    + "AS u(msg_id, kafka_partition, kafka_offset, handle) ON CONFLICT DO NOTHING RETURNING msg_id")) {
                ps.setString(1, t.topic().instanceId());
                ps.setString(2, t.group().groupId());
                ps.setString(3, t.topic().kafkaTopic());
                ps.setLong(4, now + t.invisibleMillis());
                ps.setLong(5, now);
                ps.setLong(6, now);
                ps.setString(7, t.clientHost());
                ps.setString(8, t.clientId());
                ps.setArray(9, c.createArrayOf("text", fresh.stream().map(d -> d.msgId).toArray()));
                ps.setArray(10, c.createArrayOf("integer", fresh.stream().map(d -> d.partition).toArray()));
                ps.setArray(11, c.createArrayOf("bigint", fresh.stream().map(d -> d.offset).toArray()));
                ps.setArray(12, c.createArrayOf("text", fresh.stream().map(d -> d.handle).toArray()));
                Set<String> inserted = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getString(1));
                    }
                }
                for (Delivery d : fresh) {
                    if (inserted.contains(d.msgId)) {
                        recorded.add(d);
                    }
                }
            }
        }
        if (!parked.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inflight (instance_id, group_id, msg_id, "
                    + "kafka_topic, kafka_partition, kafka_offset, receipt_handle, visible_at, consumed_times) "
                    + "VALUES (?,?,?,?,?,?,NULL,?,0) ON CONFLICT DO NOTHING")) {
                for (Delivery d : parked) {
                    ps.setString(1, t.topic().instanceId());
                    ps.setString(2, t.group().groupId());
                    ps.setString(3, d.msgId);
                    ps.setString(4, t.topic().kafkaTopic());
                    ps.setInt(5, d.partition);
                    ps.setLong(6, d.offset);
                    ps.setLong(7, d.visibleAt);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return recorded;
    }

    /** Gives due in-flight rows (locked by the caller) a new handle and visibility: a new delivery. */
    private void markDelivered(Connection c, Take t, List<Delivery> due, long now) throws SQLException {
        if (due.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE inflight SET receipt_handle = ?, visible_at = ?, "
                + "consumed_times = ?, first_consume_time = ?, delivered_at = ?, client_host = ?, client_id = ? "
                + "WHERE instance_id = ? AND group_id = ? AND msg_id = ?")) {
            for (Delivery d : due) {
                d.previousHandle = d.handle;
                d.previousDeliveredAt = d.deliveredAt;
                d.previousClientHost = d.clientHost;
                d.previousClientId = d.clientId;
                d.handle = ReceiptHandles.next(d.msgId);
                d.consumedTimes = d.consumedTimes + 1;
                d.firstConsumeTime = d.firstConsumeTime == null ? now : d.firstConsumeTime;
                d.deliveredAt = now;
                d.visibleAt = now + t.invisibleMillis();
                ps.setString(1, d.handle);
                ps.setLong(2, d.visibleAt);
                ps.setInt(3, d.consumedTimes);
                ps.setLong(4, d.firstConsumeTime);
                ps.setLong(5, now);
                ps.setString(6, t.clientHost());
                ps.setString(7, t.clientId());
                ps.setString(8, t.topic().instanceId());
                ps.setString(9, t.group().groupId());
                ps.setString(10, d.msgId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Reads the delivered messages and turns them into the answer (and their lifecycle events). */
    private List<ConsumedMessage> render(Connection c, Take t, List<Delivery> deliveries, long now,
            List<MessageLifecycleEvent> emitted, ClientStats.Batch stats) throws SQLException {
        Map<String, Object[]> rows = new HashMap<>();
        List<String> ids = deliveries.stream().map(d -> d.msgId).toList();
        try (PreparedStatement ps = c.prepareStatement("SELECT msg_id, body, tag, properties, store_timestamp, "
                + "keys, deliver_at FROM message WHERE msg_id = ANY(?)")) {
            ps.setArray(1, Jdbc.textArray(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Array keys = rs.getArray(6);
                    rows.put(rs.getString(1), new Object[] {rs.getBytes(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), keys == null ? null : String.join(" ", (String[]) keys.getArray()),
                            nullableLong(rs, 7)});
                }
            }
        }
        List<ConsumedMessage> out = new ArrayList<>(deliveries.size());
        String topic = t.topic().topic().topic();
        int type = t.topic().topic().messageType();
        for (Delivery d : deliveries) {
            Object[] row = rows.get(d.msgId);
            if (row == null) {
                continue;
            }
            byte[] body = (byte[]) row[0];
            String tag = (String) row[1];
            Map<String, String> properties = readProperties((String) row[2]);
            String keys = (String) row[4];
            out.add(new ConsumedMessage(d.msgId, Digests.md5Hex(body), new String(body, StandardCharsets.UTF_8),
                    d.handle, (Long) row[3], d.firstConsumeTime, d.visibleAt, d.consumedTimes, tag,
                    properties.isEmpty() ? null : properties));
            if (d.consumedTimes > 1) {
                redelivered.increment();
                if (d.previousHandle != null) {
                    stats.failed(t.topic().instanceId(), t.group().groupId(), d.previousClientId, topic);
                    emitted.add(EventBuilder.of(MessageLifecycleEventType.CONSUME_FAILED, d.msgId)
                            .idSuffix(t.group().groupId() + "/" + (d.consumedTimes - 1))
                            .topic(t.topic().accountId(), t.topic().instanceId(), topic, type)
                            .message(tag, keys, body.length).stored(null, d.partition, d.offset)
                            .consumer(t.group().groupId(), d.previousClientId, d.previousClientHost,
                                    d.consumedTimes - 2,
                                    d.previousDeliveredAt)
                            .cost(d.previousDeliveredAt == null ? null : now - d.previousDeliveredAt)
                            .reason("not acknowledged before its invisibility ended").build());
                }
            } else {
                delivered.increment();
            }
            Long deliverAt = (Long) row[5];
            if (deliverAt != null && d.consumedTimes == 1) {
                emitted.add(EventBuilder.of(MessageLifecycleEventType.DELIVERABLE, d.msgId)
                        .topic(t.topic().accountId(), t.topic().instanceId(), topic, type).deliverAt(deliverAt)
                        .occurredAt(deliverAt).build());
            }
            emitted.add(EventBuilder.of(MessageLifecycleEventType.DELIVERED, d.msgId)
                    .idSuffix(t.group().groupId() + "/" + d.consumedTimes)
                    .topic(t.topic().accountId(), t.topic().instanceId(), topic, type)
                    .message(tag, keys, body.length).stored((Long) row[3], d.partition, d.offset)
                    .consumer(t.group().groupId(), t.clientId(), t.clientHost(), d.consumedTimes - 1, now).build());
        }
        return out;
    }

    // ---- ack ----

    /** Acknowledges deliveries by handle; answers the handles that were not valid (the others are acked). */
    public List<AckResult.Failure> ack(MessagingAccess.TopicAccess topic, ResourceEvent.GroupRecord group,
            List<String> handles, String clientHost) {
        List<MessageLifecycleEvent> emitted = new ArrayList<>();
        List<AckResult.Failure> failures = new ArrayList<>();
        String topicName = topic.topic().topic();
        int type = topic.topic().messageType();
        jdbc.inTransaction(c -> {
            emitted.clear();
            failures.clear();
            long now = System.currentTimeMillis();
            boolean any = false;
            ClientStats.Batch stats = new ClientStats.Batch();
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM inflight WHERE instance_id = ? AND "
                    + "group_id = ? AND msg_id = ? AND kafka_topic = ? AND receipt_handle = ? AND visible_at > ? "
                    + "RETURNING kafka_partition, kafka_offset, consumed_times, delivered_at, client_id")) {
                for (String handle : handles) {
                    String msgId = ReceiptHandles.msgIdOf(handle);
                    boolean done = false;
                    if (msgId != null) {
                        ps.setString(1, topic.instanceId());
                        ps.setString(2, group.groupId());
                        ps.setString(3, msgId);
                        ps.setString(4, topic.kafkaTopic());
                        ps.setString(5, handle);
                        ps.setLong(6, now);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                done = true;
                                Long deliveredAt = nullableLong(rs, 4);
                                emitted.add(EventBuilder.of(MessageLifecycleEventType.ACKED, msgId)
                                        .idSuffix(group.groupId() + "/" + rs.getInt(3))
                                        .topic(topic.accountId(), topic.instanceId(), topicName, type)
                                        .stored(null, rs.getInt(1), rs.getLong(2))
                                        .consumer(group.groupId(), rs.getString(5), clientHost, rs.getInt(3) - 1,
                                                deliveredAt)
                                        .cost(deliveredAt == null ? null : now - deliveredAt).build());
                                stats.ok(topic.instanceId(), group.groupId(), rs.getString(5), topicName,
                                        deliveredAt == null ? 0 : now - deliveredAt);
                            }
                        }
                        if (!done) {
                            // Not a delivery of the topic's stream: a pushed message or a resent dead letter?
                            done = direct.ack(c, topic, group, msgId, handle, clientHost, now, emitted, stats);
                        }
                    }
                    if (done) {
                        any = true;
                    } else {
                        failures.add(new AckResult.Failure(handle, OnsError.MQ_RECEIPT_HANDLE_ERROR.code(),
                                OnsError.MQ_RECEIPT_HANDLE_ERROR.messageTemplate()));
                    }
                }
            }
            ClientStats.write(c, stats, now);
            if (any && (type == MessageRules.PARTITION_ORDER || type == MessageRules.GLOBAL_ORDER)) {
                // The next message of an ordered partition may go out now: wake ordered consumers everywhere.
                ArrivalBus.notify(c, topic.kafkaTopic());
            }
            return null;
        });
        acked.increment(emitted.size());
        ackFailed.increment(failures.size());
        events.emitAll(emitted);
        return failures;
    }

    /** Removes a deleted group's consume state. */
    public void forgetGroup(String instanceId, String groupId) {
        jdbc.inTransaction(c -> {
            // Everything the group left behind: consume state, settings, clients, dead letters, direct deliveries.
            for (String table : List.of("inflight", "consume_cursor", "group_setting", "consumer_client",
                    "consumer_subscription", "dead_letter", "direct_delivery", "client_stat")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                        + " WHERE instance_id = ? AND group_id = ?")) {
                    ps.setString(1, instanceId);
                    ps.setString(2, groupId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        cursorsMade.keySet().removeIf(k -> k.startsWith(instanceId + "/" + groupId + "/"));
    }

    /** Forgets which cursors exist for a deleted Kafka topic (a topic re-created under its name starts anew). */
    public void forgetTopic(String kafkaTopic) {
        cursorsMade.keySet().removeIf(k -> k.contains("/" + kafkaTopic + "/"));
    }

    private Map<String, String> readProperties(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            return json.readValue(text, PROPERTIES);
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** One delivery being prepared. */
    private static final class Delivery {
        final String msgId;
        final int partition;
        final long offset;
        String handle;
        int consumedTimes;
        Long firstConsumeTime;
        Long deliveredAt;
        String clientHost;
        String clientId;
        long visibleAt;
        String previousHandle;
        Long previousDeliveredAt;
        String previousClientHost;
        String previousClientId;

        private Delivery(String msgId, int partition, long offset) {
            this.msgId = msgId;
            this.partition = partition;
            this.offset = offset;
        }

        static Delivery first(String msgId, int partition, long offset) {
            return new Delivery(msgId, partition, offset);
        }

        static Delivery delayed(String msgId, int partition, long offset, long deliverAt) {
            Delivery d = new Delivery(msgId, partition, offset);
            d.visibleAt = deliverAt;
            return d;
        }

        static Delivery again(String msgId, int partition, long offset, String handle, int consumedTimes,
                Long firstConsumeTime, Long deliveredAt, String clientHost, String clientId) {
            Delivery d = new Delivery(msgId, partition, offset);
            d.handle = handle;
            d.consumedTimes = consumedTimes;
            d.firstConsumeTime = firstConsumeTime;
            d.deliveredAt = deliveredAt;
            d.clientHost = clientHost;
            d.clientId = clientId;
            return d;
        }
    }
}
