package io.openons.message.consume;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.messaging.ConsumedMessage;
import io.openons.message.access.MessagingAccess;
import io.openons.message.consumer.ClientStats;
import io.openons.message.dlq.DeadLetterQueue;
import io.openons.message.lifecycle.EventBuilder;
import io.openons.message.model.Digests;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages delivered to one group outside its topic's stream (table {@code direct_delivery}): dead letters
 * resent with OnsDLQMessageResendById (same message id, any client of the group) and messages pushed with
 * OnsMessagePush (a new id, only the named client). They are taken before the stream, with the same receipt
 * handles, invisibility and retries; an exhausted resend re-enters the dead-letter queue
 * (docs/decisions/0501-retries-and-dead-letters.md, 0502-message-push.md).
 */
@ApplicationScoped
public class DirectDeliveries {

    private static final TypeReference<LinkedHashMap<String, String>> PROPERTIES = new TypeReference<>() {
    };

    private final DeadLetterQueue deadLetters;
    private final ObjectMapper json;

    DirectDeliveries(DeadLetterQueue deadLetters, ObjectMapper json) {
        this.deadLetters = deadLetters;
        this.json = json;
    }

    /** Takes due direct deliveries of the group and topic that this client may receive (locked SKIP LOCKED). */
    List<ConsumedMessage> take(Connection c, ConsumeService.Take t, long now, List<MessageLifecycleEvent> emitted,
            ClientStats.Batch stats) throws SQLException {
        List<ConsumedMessage> out = new ArrayList<>();
        List<DeadLetterQueue.ExhaustedDirect> exhausted = new ArrayList<>();
        List<Object[]> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT msg_id, kind, dlq_entry_id, consumed_times, "
                + "first_consume_time, delivered_at, client_host, client_id, receipt_handle, tag, "
                + "array_to_string(keys, ' '), properties, body, store_timestamp, kafka_partition, kafka_offset, "
                + "account_id FROM direct_delivery WHERE instance_id = ? AND group_id = ? AND kafka_topic = ? "
                + "AND visible_at <= ? AND (target_client_id IS NULL OR target_client_id = ?) "
                + "ORDER BY visible_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, t.topic().instanceId());
            ps.setString(2, t.group().groupId());
            ps.setString(3, t.topic().kafkaTopic());
            ps.setLong(4, now);
            ps.setString(5, t.clientId());
            ps.setInt(6, t.max() + 16);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && due.size() < t.max()) {
                    String kind = rs.getString(2);
                    int consumed = rs.getInt(4);
                    if (rs.getString(9) != null && consumed > t.maxReconsumeTimes()) {
                        exhausted.add(new DeadLetterQueue.ExhaustedDirect(t.topic().instanceId(),
                                t.group().groupId(), rs.getString(1), kind, nullableLong(rs, 3), consumed,
                                nullableLong(rs, 5), nullableLong(rs, 6), rs.getString(7), rs.getString(8)));
                        continue;
                    }
                    // A resend goes to the group's subscription; a push goes to the named client whatever it filters.
                    if ("RESEND".equals(kind) && !t.tags().matches(rs.getString(10))) {
                        continue;
                    }
                    due.add(new Object[] {rs.getString(1), kind, nullableLong(rs, 3), consumed, nullableLong(rs, 5),
                            nullableLong(rs, 6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), rs.getString(12), rs.getBytes(13), rs.getLong(14),
                            nullableInt(rs, 15), nullableLong(rs, 16), rs.getString(17)});
                }
            }
        }
        deadLetters.deadLetterDirect(c, exhausted, now, emitted, stats);
        if (due.isEmpty()) {
            return out;
        }
        String topic = t.topic().topic().topic();
        int type = t.topic().topic().messageType();
        try (PreparedStatement ps = c.prepareStatement("UPDATE direct_delivery SET receipt_handle = ?, visible_at = ?, "
                + "consumed_times = ?, first_consume_time = ?, delivered_at = ?, client_host = ?, client_id = ? "
                + "WHERE instance_id = ? AND group_id = ? AND msg_id = ?")) {
            for (Object[] d : due) {
                String msgId = (String) d[0];
                String kind = (String) d[1];
                Long entryId = (Long) d[2];
                int consumed = (Integer) d[3] + 1;
                long first = d[4] == null ? now : (Long) d[4];
                String previousHandle = (String) d[8];
                String handle = ReceiptHandles.next(msgId);
                long visibleAt = now + t.invisibleMillis();
                ps.setString(1, handle);
                ps.setLong(2, visibleAt);
                ps.setInt(3, consumed);
                ps.setLong(4, first);
                ps.setLong(5, now);
                ps.setString(6, t.clientHost());
                ps.setString(7, t.clientId());
                ps.setString(8, t.topic().instanceId());
                ps.setString(9, t.group().groupId());
                ps.setString(10, msgId);
                ps.addBatch();
                byte[] body = (byte[]) d[12];
                String tag = (String) d[9];
                String keys = emptyToNull((String) d[10]);
                Map<String, String> properties = readProperties((String) d[11]);
                out.add(new ConsumedMessage(msgId, Digests.md5Hex(body), new String(body, StandardCharsets.UTF_8),
                        handle, (Long) d[13], first, visibleAt, consumed, tag,
                        properties.isEmpty() ? null : properties));
                String suffix = attemptPrefix(t.group().groupId(), kind, entryId);
                if (previousHandle != null) {
                    stats.failed(t.topic().instanceId(), t.group().groupId(), (String) d[7], topic);
                    emitted.add(EventBuilder.of(MessageLifecycleEventType.CONSUME_FAILED, msgId)
                            .idSuffix(suffix + (consumed - 1)).topic((String) d[16], t.topic().instanceId(), topic, type)
                            .message(tag, keys, body.length).stored(null, (Integer) d[14], (Long) d[15])
                            .consumer(t.group().groupId(), (String) d[7], (String) d[6], consumed - 2, (Long) d[5])
                            .cost(d[5] == null ? null : now - (Long) d[5])
                            .reason("not acknowledged before its invisibility ended").build());
                }
                if ("RESEND".equals(kind)) {
                    // Pushed messages have ids of their own that no topic stream knows: no lifecycle events.
                    emitted.add(EventBuilder.of(MessageLifecycleEventType.DELIVERED, msgId).idSuffix(suffix + consumed)
                            .topic((String) d[16], t.topic().instanceId(), topic, type)
                            .message(tag, keys, body.length).stored((Long) d[13], (Integer) d[14], (Long) d[15])
                            .consumer(t.group().groupId(), t.clientId(), t.clientHost(), consumed - 1, now).build());
                }
            }
            ps.executeBatch();
        }
        return out;
    }

    /** Acknowledges a direct delivery by handle in the caller's transaction; false when no such delivery is valid. */
    boolean ack(Connection c, MessagingAccess.TopicAccess topic, ResourceEvent.GroupRecord group, String msgId,
            String handle, String clientHost, long now, List<MessageLifecycleEvent> emitted, ClientStats.Batch stats)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM direct_delivery WHERE instance_id = ? "
                + "AND group_id = ? AND msg_id = ? AND kafka_topic = ? AND receipt_handle = ? AND visible_at > ? "
                + "RETURNING kind, dlq_entry_id, consumed_times, delivered_at, client_id, kafka_partition, "
                + "kafka_offset")) {
            ps.setString(1, topic.instanceId());
            ps.setString(2, group.groupId());
            ps.setString(3, msgId);
            ps.setString(4, topic.kafkaTopic());
            ps.setString(5, handle);
            ps.setLong(6, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                Long deliveredAt = nullableLong(rs, 4);
                stats.ok(topic.instanceId(), group.groupId(), rs.getString(5), topic.topic().topic(),
                        deliveredAt == null ? 0 : now - deliveredAt);
                if ("RESEND".equals(rs.getString(1))) {
                    int consumed = rs.getInt(3);
                    emitted.add(EventBuilder.of(MessageLifecycleEventType.ACKED, msgId)
                            .idSuffix(attemptPrefix(group.groupId(), "RESEND", nullableLong(rs, 2)) + consumed)
                            .topic(topic.accountId(), topic.instanceId(), topic.topic().topic(),
                                    topic.topic().messageType())
                            .stored(null, nullableInt(rs, 6), nullableLong(rs, 7))
                            .consumer(group.groupId(), rs.getString(5), clientHost, consumed - 1, deliveredAt)
                            .cost(deliveredAt == null ? null : now - deliveredAt).build());
                }
                return true;
            }
        }
    }

    /**
     * Event ids of a resend's attempts must differ from those of the original deliveries (same message, group and
     * attempt numbers), so they carry the dead-letter entry they came from.
     */
    private static String attemptPrefix(String groupId, String kind, Long entryId) {
        return "RESEND".equals(kind) ? groupId + "/dlq" + entryId + "/" : groupId + "/push/";
    }

    private Map<String, String> readProperties(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            return json.readValue(text, PROPERTIES);
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
