package io.openons.message.offset;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEvent;
import io.openons.message.consume.ArrivalBus;
import io.openons.message.consume.ConsumeService;
import io.openons.message.jdbc.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far an HTTP group got in its topics, from its consume state (docs/decisions/0504-backlog-and-reset.md):
 * per topic the backlog (messages after the cursors, plus deliveries in flight and resent dead letters), the store
 * time of the oldest of them (the delay) and of the last message the cursors passed; and the reset of a group's
 * cursors in a topic (all at once, under the cursor row locks, so running consumers continue from there).
 */
@ApplicationScoped
public class ConsumeProgress {

    private final Jdbc jdbc;

    ConsumeProgress(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** One topic's progress. {@code oldestPending} and {@code lastConsumed} are store times, null when none. */
    public record TopicProgress(String kafkaTopic, long totalDiff, Long oldestPending, Long lastConsumed) {
    }

    /**
     * The progress of a group in every Kafka topic it has consume state in. One round trip: per cursor, the
     * partition's end from {@code partition_stats} and three single-row index probes; per topic, the in-flight
     * and resent rows.
     */
    public Map<String, TopicProgress> progress(String instanceId, String groupId) {
        return jdbc.read(c -> {
            Map<String, long[]> diff = new TreeMap<>();
            Map<String, Long> oldest = new HashMap<>();
            Map<String, Long> last = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.kafka_topic, "
                    + "greatest(coalesce(s.max_offset + 1, 0) - greatest(c.next_offset, coalesce(lo.o, 0)), 0), "
                    + "(SELECT m.store_timestamp FROM message m WHERE m.kafka_topic = c.kafka_topic "
                    + "AND m.kafka_partition = c.kafka_partition AND m.kafka_offset >= c.next_offset "
                    + "ORDER BY m.kafka_offset LIMIT 1), "
                    + "(SELECT m.store_timestamp FROM message m WHERE m.kafka_topic = c.kafka_topic "
                    + "AND m.kafka_partition = c.kafka_partition AND m.kafka_offset < c.next_offset "
                    + "ORDER BY m.kafka_offset DESC LIMIT 1) "
                    + "FROM consume_cursor c "
                    + "LEFT JOIN partition_stats s ON s.kafka_topic = c.kafka_topic AND s.kafka_partition = c.kafka_partition "
                    + "LEFT JOIN LATERAL (SELECT m.kafka_offset AS o FROM message m WHERE m.kafka_topic = c.kafka_topic "
                    + "AND m.kafka_partition = c.kafka_partition ORDER BY m.kafka_offset LIMIT 1) lo ON true "
                    + "WHERE c.instance_id = ? AND c.group_id = ?")) {
                ps.setString(1, instanceId);
                ps.setString(2, groupId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String topic = rs.getString(1);
                        long d = rs.getLong(2);
                        diff.computeIfAbsent(topic, k -> new long[1])[0] += d;
                        long o = rs.getLong(3);
                        if (!rs.wasNull() && d > 0) {
                            oldest.merge(topic, o, Math::min);
                        }
                        long l = rs.getLong(4);
                        if (!rs.wasNull()) {
                            last.merge(topic, l, Math::max);
                        }
                    }
                }
            }
            // Deliveries not yet acknowledged (and delayed messages the cursors passed), resent dead letters.
            try (PreparedStatement ps = c.prepareStatement("SELECT i.kafka_topic, count(*), min(m.store_timestamp) "
                    + "FROM inflight i LEFT JOIN message m ON m.msg_id = i.msg_id "
                    + "WHERE i.instance_id = ? AND i.group_id = ? GROUP BY i.kafka_topic "
                    + "UNION ALL SELECT kafka_topic, count(*), min(store_timestamp) FROM direct_delivery "
                    + "WHERE instance_id = ? AND group_id = ? AND kind = 'RESEND' GROUP BY kafka_topic")) {
                ps.setString(1, instanceId);
                ps.setString(2, groupId);
                ps.setString(3, instanceId);
                ps.setString(4, groupId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String topic = rs.getString(1);
                        diff.computeIfAbsent(topic, k -> new long[1])[0] += rs.getLong(2);
                        long o = rs.getLong(3);
                        if (!rs.wasNull()) {
                            oldest.merge(topic, o, Math::min);
                        }
                    }
                }
            }
            Map<String, TopicProgress> out = new TreeMap<>();
            diff.forEach((topic, d) -> out.put(topic, new TopicProgress(topic, d[0], oldest.get(topic),
                    last.get(topic))));
            return out;
        });
    }

    /** The earliest and latest store time of a Kafka topic's stored messages, or null when it holds none. */
    public long[] storedRange(String kafkaTopic) {
        return jdbc.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT min(store_timestamp), max(store_timestamp) "
                    + "FROM message WHERE kafka_topic = ?")) {
                ps.setString(1, kafkaTopic);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long min = rs.getLong(1);
                    if (rs.wasNull()) {
                        return null;
                    }
                    return new long[] {min, rs.getLong(2)};
                }
            }
        });
    }

    /** Store times of the last stored message before each given position (Kafka-native committed offsets). */
    public Long lastStoredBefore(String kafkaTopic, Map<Integer, Long> positions) {
        return storeTimeAt(kafkaTopic, positions, false);
    }

    /** Store time of the oldest stored message at or after the given positions. */
    public Long firstStoredFrom(String kafkaTopic, Map<Integer, Long> positions) {
        return storeTimeAt(kafkaTopic, positions, true);
    }

    private Long storeTimeAt(String kafkaTopic, Map<Integer, Long> positions, boolean from) {
        if (positions.isEmpty()) {
            return null;
        }
        return jdbc.read(c -> {
            Long best = null;
            String sql = from
                    ? "SELECT store_timestamp FROM message WHERE kafka_topic = ? AND kafka_partition = ? "
                            + "AND kafka_offset >= ? ORDER BY kafka_offset LIMIT 1"
                    : "SELECT store_timestamp FROM message WHERE kafka_topic = ? AND kafka_partition = ? "
                            + "AND kafka_offset < ? ORDER BY kafka_offset DESC LIMIT 1";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Map.Entry<Integer, Long> e : positions.entrySet()) {
                    ps.setString(1, kafkaTopic);
                    ps.setInt(2, e.getKey());
                    ps.setLong(3, e.getValue());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            long t = rs.getLong(1);
                            best = best == null ? t : from ? Math.min(best, t) : Math.max(best, t);
                        }
                    }
                }
            }
            return best;
        });
    }

    /**
     * Resets an HTTP group's cursors in a topic: {@code timestamp == null} skips everything accumulated (the
     * cursors move to the partitions' ends; deliveries in the retry flow stay, as documented, and delayed
     * messages the cursors had parked are dropped); otherwise each cursor moves to the first message stored at or
     * after {@code timestamp}, which may be behind it (replay) or ahead (skip). The update waits for the cursor
     * row locks of running takes and then wakes every waiting long poll of the topic: running consumers continue
     * from the new position with their next take.
     */
    public void reset(ResourceEvent.GroupRecord group, ResourceEvent.TopicRecord topic, Long timestamp) {
        jdbc.inTransaction(c -> {
            ConsumeService.createCursors(c, group.instanceId(), group.groupId(), topic.kafkaTopic(),
                    topic.partitions(), group.createTime());
            lockCursors(c, group, topic);
            if (timestamp == null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE consume_cursor c SET next_offset = "
                        + "greatest(c.next_offset, s.max_offset + 1) FROM partition_stats s "
                        + "WHERE s.kafka_topic = c.kafka_topic AND s.kafka_partition = c.kafka_partition "
                        + "AND c.instance_id = ? AND c.group_id = ? AND c.kafka_topic = ?")) {
                    ps.setString(1, group.instanceId());
                    ps.setString(2, group.groupId());
                    ps.setString(3, topic.kafkaTopic());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM inflight WHERE instance_id = ? "
                        + "AND group_id = ? AND kafka_topic = ? AND receipt_handle IS NULL")) {
                    ps.setString(1, group.instanceId());
                    ps.setString(2, group.groupId());
                    ps.setString(3, topic.kafkaTopic());
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("UPDATE consume_cursor c SET next_offset = "
                        + "coalesce((SELECT min(m.kafka_offset) FROM message m WHERE m.kafka_topic = c.kafka_topic "
                        + "AND m.kafka_partition = c.kafka_partition AND m.store_timestamp >= ?), "
                        + "(SELECT s.max_offset + 1 FROM partition_stats s WHERE s.kafka_topic = c.kafka_topic "
                        + "AND s.kafka_partition = c.kafka_partition), c.next_offset), "
                        // messages stored before the group existed become its to consume when it rewinds to them
                        + "start_timestamp = least(c.start_timestamp, ?) "
                        + "WHERE c.instance_id = ? AND c.group_id = ? AND c.kafka_topic = ?")) {
                    ps.setLong(1, timestamp);
                    ps.setLong(2, timestamp);
                    ps.setString(3, group.instanceId());
                    ps.setString(4, group.groupId());
                    ps.setString(5, topic.kafkaTopic());
                    ps.executeUpdate();
                }
            }
            ArrivalBus.notify(c, topic.kafkaTopic());
            return null;
        });
    }

    private static void lockCursors(Connection c, ResourceEvent.GroupRecord group, ResourceEvent.TopicRecord topic)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kafka_partition FROM consume_cursor "
                + "WHERE instance_id = ? AND group_id = ? AND kafka_topic = ? ORDER BY kafka_partition FOR UPDATE")) {
            ps.setString(1, group.instanceId());
            ps.setString(2, group.groupId());
            ps.setString(3, topic.kafkaTopic());
            ps.executeQuery().close();
        }
    }

    /** Validates a reset timestamp against the topic's stored range. */
    public static void checkResetTime(String topic, long timestamp, long[] range) {
        if (range == null) {
            throw OnsError.FIELD_CHECK_INVALID.exception("The topic " + topic + " holds no message, so there is no "
                    + "time to reset to; use Type=0 or send messages first.");
        }
        if (timestamp < range[0] || timestamp > range[1]) {
            throw OnsError.FIELD_CHECK_INVALID.exception("ResetTimestamp " + timestamp + " is outside the stored "
                    + "messages of topic " + topic + ": give epoch milliseconds from " + range[0] + " to " + range[1]
                    + " (OnsConsumerTimeSpan MinTimeStamp to MaxTimeStamp).");
        }
    }
}
