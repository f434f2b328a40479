package io.openons.trace.trace;

import io.agroal.api.AgroalDataSource;
import io.openons.contracts.event.MessageLifecycleEventType;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The stored lifecycle events and the key index of trace-service. Writes are set-based (one {@code INSERT ...
 * SELECT FROM unnest(arrays)} per table and batch: one round trip and one plan for thousands of rows), and
 * idempotent ({@code ON CONFLICT DO NOTHING} on the event id), so a batch may be stored again after a crash
 * without counting anything twice.
 */
@ApplicationScoped
public class TraceEventRepository {

    private static final String INSERT_EVENTS = """
            INSERT INTO trace.trace_event (event_id, msg_id, instance_id, topic, type, occurred_at, retain_from, tag,
                msg_keys, born_host, producer_group, born_timestamp, store_timestamp, deliver_at, cost_millis, group_id,
                client_id, client_host, reconsume_times, delivered_at)
            SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],
                ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                ?::text[], ?::text[], ?::text[], ?::integer[], ?::bigint[])
            ON CONFLICT (event_id) DO NOTHING""";

    private static final String INSERT_KEYS = """
            INSERT INTO trace.trace_key (instance_id, topic, msg_key, msg_time, msg_id, retain_from)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[])
            ON CONFLICT DO NOTHING""";

    private static final String SELECT_EVENTS = """
            SELECT event_id, msg_id, instance_id, topic, type, occurred_at, tag, msg_keys, born_host, producer_group,
                born_timestamp, store_timestamp, deliver_at, cost_millis, group_id, client_id, client_host,
                reconsume_times, delivered_at
            FROM trace.trace_event WHERE msg_id = ANY(?) AND instance_id = ? AND topic = ?""";

    private static final String SELECT_BY_KEY = """
            SELECT msg_id, min(msg_time) AS t FROM trace.trace_key
            WHERE instance_id = ? AND topic = ? AND msg_key = ? AND msg_time BETWEEN ? AND ?
            GROUP BY msg_id ORDER BY t, msg_id LIMIT ?""";

    private final AgroalDataSource dataSource;

    TraceEventRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores a batch of events (distinct event ids) and the keys of their publications in one transaction.
     *
     * @return how many events were new (the others had been stored before)
     */
    public int store(List<TraceEvent> events) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int inserted = insertEvents(c, events);
                insertKeys(c, events);
                c.commit();
                return inserted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static int insertEvents(Connection c, List<TraceEvent> events) throws SQLException {
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] msgIds = new String[n];
        String[] instances = new String[n];
        String[] topics = new String[n];
        String[] types = new String[n];
        Long[] occurred = new Long[n];
        Long[] retainFrom = new Long[n];
        String[] tags = new String[n];
        String[] keys = new String[n];
        String[] bornHosts = new String[n];
        String[] producerGroups = new String[n];
        Long[] born = new Long[n];
        Long[] stored = new Long[n];
        Long[] deliverAt = new Long[n];
        Long[] cost = new Long[n];
        String[] groups = new String[n];
        String[] clients = new String[n];
        String[] clientHosts = new String[n];
        Integer[] reconsume = new Integer[n];
        Long[] deliveredAt = new Long[n];
        for (int i = 0; i < n; i++) {
            TraceEvent e = events.get(i);
            ids[i] = e.eventId();
            msgIds[i] = e.msgId();
            instances[i] = e.instanceId();
            topics[i] = e.topic();
            types[i] = e.type().name();
            occurred[i] = e.occurredAt();
            retainFrom[i] = e.retainFrom();
            tags[i] = e.tag();
            keys[i] = e.keys();
            bornHosts[i] = e.bornHost();
            producerGroups[i] = e.producerGroup();
            born[i] = e.bornTimestamp();
            stored[i] = e.storeTimestamp();
            deliverAt[i] = e.deliverAt();
            cost[i] = e.costMillis();
            groups[i] = e.groupId();
            clients[i] = e.clientId();
            clientHosts[i] = e.clientHost();
            reconsume[i] = e.reconsumeTimes();
            deliveredAt[i] = e.deliveredAt();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
            int p = 1;
            ps.setArray(p++, c.createArrayOf("uuid", ids));
            ps.setArray(p++, c.createArrayOf("text", msgIds));
            ps.setArray(p++, c.createArrayOf("text", instances));
            ps.setArray(p++, c.createArrayOf("text", topics));
            ps.setArray(p++, c.createArrayOf("text", types));
            ps.setArray(p++, c.createArrayOf("bigint", occurred));
            ps.setArray(p++, c.createArrayOf("bigint", retainFrom));
            ps.setArray(p++, c.createArrayOf("text", tags));
            ps.setArray(p++, c.createArrayOf("text", keys));
            ps.setArray(p++, c.createArrayOf("text", bornHosts));
            ps.setArray(p++, c.createArrayOf("text", producerGroups));
            ps.setArray(p++, c.createArrayOf("bigint", born));
            ps.setArray(p++, c.createArrayOf("bigint", stored));
            ps.setArray(p++, c.createArrayOf("bigint", deliverAt));
            ps.setArray(p++, c.createArrayOf("bigint", cost));
            ps.setArray(p++, c.createArrayOf("text", groups));
            ps.setArray(p++, c.createArrayOf("text", clients));
            ps.setArray(p++, c.createArrayOf("text", clientHosts));
            ps.setArray(p++, c.createArrayOf("integer", reconsume));
            ps.setArray(p, c.createArrayOf("bigint", deliveredAt));
            return ps.executeUpdate();
        }
    }

    /**
     * Indexes the keys of publications (one row per key; keys are separated by spaces as in RocketMQ), with the
     * message's PubTime for the query range.
     */
    private static void insertKeys(Connection c, List<TraceEvent> events) throws SQLException {
        List<String> instances = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<String> msgIds = new ArrayList<>();
        List<Long> retainFrom = new ArrayList<>();
        for (TraceEvent e : events) {
            if (!e.isPublish() || e.keys() == null) {
                continue;
            }
            for (String key : splitKeys(e.keys())) {
                instances.add(e.instanceId());
                topics.add(e.topic());
                keys.add(key);
                times.add(e.pubTime());
                msgIds.add(e.msgId());
                retainFrom.add(e.retainFrom());
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_KEYS)) {
            ps.setArray(1, c.createArrayOf("text", instances.toArray(new String[0])));
            ps.setArray(2, c.createArrayOf("text", topics.toArray(new String[0])));
            ps.setArray(3, c.createArrayOf("text", keys.toArray(new String[0])));
            ps.setArray(4, c.createArrayOf("bigint", times.toArray(new Long[0])));
            ps.setArray(5, c.createArrayOf("text", msgIds.toArray(new String[0])));
            ps.setArray(6, c.createArrayOf("bigint", retainFrom.toArray(new Long[0])));
            ps.executeUpdate();
        }
    }

    /** The distinct keys of a message's KEYS value (space-separated). */
    public static Set<String> splitKeys(String keys) {
        Set<String> result = new LinkedHashSet<>();
        for (String k : keys.trim().split("\\s+")) {
            if (!k.isEmpty()) {
                result.add(k);
            }
        }
        return result;
    }

    /** The events of these messages of one topic, by message id. */
    public Map<String, List<TraceEvent>> eventsOf(String instanceId, String topic, Collection<String> msgIds)
            throws SQLException {
        Map<String, List<TraceEvent>> byMessage = new LinkedHashMap<>();
        if (msgIds.isEmpty()) {
            return byMessage;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_EVENTS)) {
            Array ids = c.createArrayOf("text", msgIds.toArray(new String[0]));
            ps.setArray(1, ids);
            ps.setString(2, instanceId);
            ps.setString(3, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TraceEvent e = read(rs);
                    if (e != null) {
                        byMessage.computeIfAbsent(e.msgId(), m -> new ArrayList<>()).add(e);
                    }
                }
            }
        }
        return byMessage;
    }

    /** The ids of the messages of a topic with this key published within [from, to], earliest first. */
    public List<String> messagesWithKey(String instanceId, String topic, String key, long from, long to, int limit)
            throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_BY_KEY)) {
            ps.setString(1, instanceId);
            ps.setString(2, topic);
            ps.setString(3, key);
            ps.setLong(4, from);
            ps.setLong(5, to);
            ps.setInt(6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static TraceEvent read(ResultSet rs) throws SQLException {
        MessageLifecycleEventType type;
        try {
            type = MessageLifecycleEventType.valueOf(rs.getString("type"));
        } catch (IllegalArgumentException e) {
            return null; // a type a newer version stored and this one does not know
        }
        return new TraceEvent(rs.getObject("event_id", UUID.class), rs.getString("msg_id"),
                rs.getString("instance_id"), rs.getString("topic"), type, rs.getLong("occurred_at"),
                rs.getString("tag"), rs.getString("msg_keys"), rs.getString("born_host"),
                rs.getString("producer_group"), longOrNull(rs, "born_timestamp"), longOrNull(rs, "store_timestamp"),
                longOrNull(rs, "deliver_at"), longOrNull(rs, "cost_millis"), rs.getString("group_id"),
                rs.getString("client_id"), rs.getString("client_host"), intOrNull(rs, "reconsume_times"),
                longOrNull(rs, "delivered_at"));
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
