package io.openons.message.index;

import io.openons.message.consume.ArrivalBus;
import io.openons.message.model.MessageIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Writes index batches: one multi-row insert (arrays unnested server-side) that skips messages already indexed
 * (same Kafka position, or the same id in the same topic), the per-partition statistics of the rows really inserted, and a
 * notification per topic so that waiting consumers look again once the batch commits.
 */
@ApplicationScoped
public class IndexRepository {

    private static final Logger LOG = Logger.getLogger(IndexRepository.class);

    private static final String INSERT = "INSERT INTO message (msg_id, kafka_topic, kafka_partition, kafka_offset, "
            + "account_id, instance_id, topic, tag, keys, properties, born_timestamp, store_timestamp, deliver_at, "
            + "born_host, producer_group, body, body_size, store_size, body_crc) "
            + "SELECT u.msg_id, u.kafka_topic, u.kafka_partition, u.kafka_offset, u.account_id, u.instance_id, "
            + "u.topic, u.tag, string_to_array(u.keys, ' '), u.properties, u.born_timestamp, u.store_timestamp, "
            + "u.deliver_at, u.born_host, u.producer_group, u.body, length(u.body), u.store_size, u.body_crc "
            + "FROM unnest(?::varchar[], ?::varchar[], ?::int[], ?::bigint[], ?::varchar[], ?::varchar[], "
            + "?::varchar[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::varchar[], "
            + "?::varchar[], ?::bytea[], ?::int[], ?::int[]) AS u(msg_id, kafka_topic, kafka_partition, "
            + "kafka_offset, account_id, instance_id, topic, tag, keys, properties, born_timestamp, "
            + "store_timestamp, deliver_at, born_host, producer_group, body, store_size, body_crc) "
            + "ON CONFLICT DO NOTHING RETURNING kafka_partition, kafka_offset, kafka_topic";

    /** A batch as indexed: its rows with the ids they are stored under (in order), and the ids inserted now. */
    public record IndexedBatch(List<IndexRow> rows, Set<String> inserted) {
    }

    /**
     * Inserts the batch in the caller's transaction. A row whose Kafka position is indexed already (a batch read
     * again after a restart) keeps the id stored there. A row whose id is indexed in the same Kafka topic is a
     * repeat of that message (a producer's retried send, a transaction committed again after a crash) and is not
     * indexed twice. A row whose id is taken by a message of another topic (a Kafka-native producer that copied
     * or invented a {@code UNIQ_KEY}; another account's id) is a message of its own: it is indexed under the id of
     * its position ({@link MessageIds#forPosition}) rather than dropped, so that its consumers receive it.
     */
    public IndexedBatch insert(Connection c, List<IndexRow> rows) throws SQLException {
        Set<Position> insertedAt = insertRows(c, rows);
        List<IndexRow> stored = rows;
        if (insertedAt.size() < rows.size()) {
            stored = new ArrayList<>(rows);
            List<IndexRow> rekeyed = new ArrayList<>();
            Map<Position, Indexed> indexed = indexedAlready(c, rows, insertedAt);
            for (int i = 0; i < rows.size(); i++) {
                IndexRow row = rows.get(i);
                Position position = Position.of(row);
                if (insertedAt.contains(position)) {
                    continue;
                }
                Indexed existing = indexed.getOrDefault(position, new Indexed(null, null));
                if (existing.idAtPosition() != null) {
                    stored.set(i, row.withMsgId(existing.idAtPosition()));
                } else if (!row.kafkaTopic().equals(existing.topicOfId())) {
                    IndexRow own = row.withMsgId(MessageIds.forPosition(row.kafkaTopic(), row.partition(),
                            row.offset()));
                    LOG.warnf("Message id %s of %s-%d@%d is taken by a message of another topic; indexed as %s",
                            row.msgId(), row.kafkaTopic(), row.partition(), row.offset(), own.msgId());
                    stored.set(i, own);
                    rekeyed.add(own);
                }
            }
            if (!rekeyed.isEmpty()) {
                insertedAt.addAll(insertRows(c, rekeyed));
            }
        }
        Set<String> inserted = new HashSet<>();
        for (IndexRow row : stored) {
            if (insertedAt.contains(Position.of(row))) {
                inserted.add(row.msgId());
            }
        }
        updateStats(c, stored, inserted);
        Set<String> topics = new HashSet<>();
        for (IndexRow r : stored) {
            if (topics.add(r.kafkaTopic())) {
                ArrivalBus.notify(c, r.kafkaTopic());
            }
        }
        return new IndexedBatch(stored, inserted);
    }

    private record Position(String kafkaTopic, int partition, long offset) {
        static Position of(IndexRow row) {
            return new Position(row.kafkaTopic(), row.partition(), row.offset());
        }
    }

    /** What the index holds for a row not inserted: the id at its position, the Kafka topic that has its id. */
    private record Indexed(String idAtPosition, String topicOfId) {
    }

    private static Map<Position, Indexed> indexedAlready(Connection c, List<IndexRow> rows, Set<Position> insertedAt)
            throws SQLException {
        List<IndexRow> asked = rows.stream().filter(row -> !insertedAt.contains(Position.of(row))).toList();
        Map<Position, Indexed> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT u.kafka_topic, u.kafka_partition, u.kafka_offset, "
                + "p.msg_id, i.kafka_topic FROM unnest(?::varchar[], ?::varchar[], ?::int[], ?::bigint[]) "
                + "AS u(msg_id, kafka_topic, kafka_partition, kafka_offset) "
                + "LEFT JOIN message p ON p.kafka_topic = u.kafka_topic AND p.kafka_partition = u.kafka_partition "
                + "AND p.kafka_offset = u.kafka_offset LEFT JOIN message i ON i.msg_id = u.msg_id")) {
            ps.setArray(1, c.createArrayOf("varchar", asked.stream().map(IndexRow::msgId).toArray()));
            ps.setArray(2, c.createArrayOf("varchar", asked.stream().map(IndexRow::kafkaTopic).toArray()));
            ps.setArray(3, c.createArrayOf("int4", asked.stream().map(IndexRow::partition).toArray()));
            ps.setArray(4, c.createArrayOf("int8", asked.stream().map(IndexRow::offset).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(new Position(rs.getString(1), rs.getInt(2), rs.getLong(3)),
                            new Indexed(rs.getString(4), rs.getString(5)));
                }
            }
        }
        return found;
    }

    /** One multi-row insert; answers the positions inserted (rows whose id or position is indexed are not). */
    private static Set<Position> insertRows(Connection c, List<IndexRow> rows) throws SQLException {
        int n = rows.size();
        String[] msgId = new String[n];
        String[] kafkaTopic = new String[n];
        Integer[] partition = new Integer[n];
        Long[] offset = new Long[n];
        String[] account = new String[n];
        String[] instance = new String[n];
        String[] topic = new String[n];
        String[] tag = new String[n];
        String[] keys = new String[n];
        String[] properties = new String[n];
        Long[] born = new Long[n];
        Long[] stored = new Long[n];
        Long[] deliverAt = new Long[n];
        String[] bornHost = new String[n];
        String[] producerGroup = new String[n];
        byte[][] body = new byte[n][];
        Integer[] storeSize = new Integer[n];
        Integer[] crc = new Integer[n];
        for (int i = 0; i < n; i++) {
            IndexRow r = rows.get(i);
            msgId[i] = r.msgId();
            kafkaTopic[i] = r.kafkaTopic();
            partition[i] = r.partition();
            offset[i] = r.offset();
            account[i] = r.accountId();
            instance[i] = r.instanceId();
            topic[i] = r.topic();
            tag[i] = r.tag();
            keys[i] = r.keys() == null || r.keys().isEmpty() ? null : String.join(" ", r.keys());
            properties[i] = r.propertiesJson();
            born[i] = r.bornTimestamp();
            stored[i] = r.storeTimestamp();
            deliverAt[i] = r.deliverAt();
            bornHost[i] = r.bornHost();
            producerGroup[i] = r.producerGroup();
            body[i] = r.body();
            storeSize[i] = r.storeSize();
            crc[i] = r.bodyCrc();
        }
        Set<Position> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("varchar", msgId));
            ps.setArray(2, c.createArrayOf("varchar", kafkaTopic));
            ps.setArray(3, c.createArrayOf("int4", partition));
            ps.setArray(4, c.createArrayOf("int8", offset));
            ps.setArray(5, c.createArrayOf("varchar", account));
            ps.setArray(6, c.createArrayOf("varchar", instance));
            ps.setArray(7, c.createArrayOf("varchar", topic));
            ps.setArray(8, c.createArrayOf("text", tag));
            ps.setArray(9, c.createArrayOf("text", keys));
            ps.setArray(10, c.createArrayOf("text", properties));
            ps.setArray(11, c.createArrayOf("int8", born));
            ps.setArray(12, c.createArrayOf("int8", stored));
            ps.setArray(13, c.createArrayOf("int8", deliverAt));
            ps.setArray(14, c.createArrayOf("varchar", bornHost));
            ps.setArray(15, c.createArrayOf("varchar", producerGroup));
            ps.setArray(16, c.createArrayOf("bytea", body));
            ps.setArray(17, c.createArrayOf("int4", storeSize));
            ps.setArray(18, c.createArrayOf("int4", crc));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(new Position(rs.getString(3), rs.getInt(1), rs.getLong(2)));
                }
            }
        }
        return inserted;
    }

    /** Adds the inserted rows to their partitions' statistics (in a stable order: no deadlock between replicas). */
    private static void updateStats(Connection c, List<IndexRow> rows, Set<String> inserted) throws SQLException {
        Map<String, long[]> stats = new TreeMap<>();
        for (IndexRow r : rows) {
            if (!inserted.contains(r.msgId())) {
                continue;
            }
            long[] s = stats.computeIfAbsent(r.kafkaTopic() + "\u0000" + r.partition(),
                    k -> new long[] {0, Long.MIN_VALUE, Long.MIN_VALUE});
            s[0]++;
            s[1] = Math.max(s[1], r.storeTimestamp());
            s[2] = Math.max(s[2], r.offset());
        }
        if (stats.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO partition_stats (kafka_topic, kafka_partition, "
                + "message_count, last_store_timestamp, max_offset) VALUES (?,?,?,?,?) "
                + "ON CONFLICT (kafka_topic, kafka_partition) DO UPDATE SET "
                + "message_count = partition_stats.message_count + EXCLUDED.message_count, "
                + "last_store_timestamp = greatest(partition_stats.last_store_timestamp, EXCLUDED.last_store_timestamp), "
                + "max_offset = greatest(partition_stats.max_offset, EXCLUDED.max_offset)")) {
            for (Map.Entry<String, long[]> e : stats.entrySet()) {
                String[] key = e.getKey().split("\u0000");
                ps.setString(1, key[0]);
                ps.setInt(2, Integer.parseInt(key[1]));
                ps.setLong(3, e.getValue()[0]);
                ps.setLong(4, e.getValue()[1]);
                ps.setLong(5, e.getValue()[2]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Kafka topics with indexed messages. */
    public List<String> indexedTopics(Connection c) throws SQLException {
        List<String> topics = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT kafka_topic FROM partition_stats");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                topics.add(rs.getString(1));
            }
        }
        return topics;
    }
}
