package io.openons.message.consumer;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEvent;
import io.openons.message.jdbc.Jdbc;
import io.openons.message.offset.KafkaGroups;
import io.openons.service.catalog.ResourceCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * OnsMessageTrace: for each group of the instance that consumes the message's topic, whether it consumed the
 * message, from its consume state (docs/decisions/0505-message-trace.md).
 */
@ApplicationScoped
public class MessageTraceService {

    private final Jdbc jdbc;
    private final ResourceCatalog catalog;
    private final ConsumerRegistry registry;
    private final KafkaGroups kafka;

    MessageTraceService(Jdbc jdbc, ResourceCatalog catalog, ConsumerRegistry registry, KafkaGroups kafka) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.registry = registry;
        this.kafka = kafka;
    }

    /** One group's answer. */
    public record Track(String groupId, String trackType, String exceptionDesc) {
    }

    public List<Track> trace(ResourceEvent.TopicRecord topic, String msgId) {
        Object[] msg = jdbc.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT kafka_partition, kafka_offset, tag, "
                    + "store_timestamp FROM message WHERE msg_id = ? AND kafka_topic = ?")) {
                ps.setString(1, msgId);
                ps.setString(2, topic.kafkaTopic());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Object[] {rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getLong(4)}
                            : null;
                }
            }
        });
        if (msg == null) {
            throw OnsError.NO_MESSAGE.exception("No message with MsgId " + msgId + " is stored in topic "
                    + topic.topic() + " of instance " + topic.instanceId() + ".");
        }
        int partition = (Integer) msg[0];
        long offset = (Long) msg[1];
        String tag = (String) msg[2];
        long stored = (Long) msg[3];
        Map<String, Track> out = new TreeMap<>();
        Map<String, String> expressions = registry.lastExpressions(topic.instanceId(), topic.topic());
        Set<String> online = new HashSet<>();
        registry.onlineSubscribers(topic.instanceId(), topic.topic()).forEach(s -> online.add(s.groupId()));

        // HTTP groups with consume state in the topic (or a subscription the registry remembers).
        Map<String, Object[]> state = jdbc.read(c -> {
            Map<String, Object[]> m = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.group_id, c.next_offset, c.start_timestamp, "
                    + "EXISTS (SELECT 1 FROM inflight i WHERE i.instance_id = c.instance_id AND i.group_id = c.group_id "
                    + "AND i.msg_id = ?) OR EXISTS (SELECT 1 FROM direct_delivery d WHERE d.instance_id = c.instance_id "
                    + "AND d.group_id = c.group_id AND d.msg_id = ?), "
                    + "(SELECT max(reconsume_times) FROM dead_letter d WHERE d.instance_id = c.instance_id "
                    + "AND d.group_id = c.group_id AND d.msg_id = ?) "
                    + "FROM consume_cursor c WHERE c.instance_id = ? AND c.kafka_topic = ? AND c.kafka_partition = ?")) {
                ps.setString(1, msgId);
                ps.setString(2, msgId);
                ps.setString(3, msgId);
                ps.setString(4, topic.instanceId());
                ps.setString(5, topic.kafkaTopic());
                ps.setInt(6, partition);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int dead = rs.getInt(5);
                        Integer deadAfter = rs.wasNull() ? null : dead;
                        m.put(rs.getString(1), new Object[] {rs.getLong(2), rs.getLong(3), rs.getBoolean(4),
                                deadAfter});
                    }
                }
            }
            return m;
        });
        Set<String> httpGroups = new TreeSet<>(state.keySet());
        httpGroups.addAll(expressions.keySet());
        for (String groupId : httpGroups) {
            if (catalog.group(topic.instanceId(), groupId).isEmpty()) {
                continue;
            }
            Object[] s = state.get(groupId);
            boolean isOnline = online.contains(groupId);
            String notYet = isOnline ? "NOT_CONSUME_YET" : "NOT_ONLINE";
            if (s == null) {
                out.put(groupId, new Track(groupId, notYet, null));
                continue;
            }
            long next = (Long) s[0];
            long start = (Long) s[1];
            boolean pending = (Boolean) s[2];
            Integer deadAfter = (Integer) s[3];
            if (pending) {
                out.put(groupId, new Track(groupId, notYet, null));
            } else if (offset >= next) {
                out.put(groupId, new Track(groupId, notYet, null));
            } else if (stored < start) {
                out.put(groupId, new Track(groupId, "UNKNOWN", "The message was stored before the group began "
                        + "consuming the topic; it is not the group's to consume."));
            } else if (deadAfter != null) {
                out.put(groupId, new Track(groupId, "UNKNOWN", "The message failed " + (deadAfter + 1)
                        + " deliveries and is in the group's dead-letter queue (OnsDLQMessageGetById)."));
            } else if (expressions.containsKey(groupId) && !ConsumerService.matches(expressions.get(groupId), tag)) {
                out.put(groupId, new Track(groupId, "CONSUMED_BUT_FILTERED", null));
            } else {
                out.put(groupId, new Track(groupId, "CONSUMED", null));
            }
        }

        // Kafka-native groups (TCP Group IDs of the instance) that committed offsets in the topic.
        Set<String> tcp = new TreeSet<>();
        for (ResourceEvent.GroupRecord g : catalog.groupsOf(topic.instanceId())) {
            if (!ConsumerService.isHttp(g)) {
                tcp.add(g.groupId());
            }
        }
        if (!tcp.isEmpty()) {
            TopicPartition tp = new TopicPartition(topic.kafkaTopic(), partition);
            for (String groupId : kafka.describeKnown(topic.instanceId(), tcp).keySet()) {
                KafkaGroups.Group g = kafka.describe(topic.instanceId(), groupId);
                if (!g.kafkaTopics().contains(topic.kafkaTopic())) {
                    continue;
                }
                Long committed = g.committed().get(tp);
                String type = committed != null && committed > offset ? "CONSUMED"
                        : g.online() ? "NOT_CONSUME_YET" : "NOT_ONLINE";
                out.put(groupId, new Track(groupId, type, null));
            }
        }
        return new ArrayList<>(out.values());
    }
}
