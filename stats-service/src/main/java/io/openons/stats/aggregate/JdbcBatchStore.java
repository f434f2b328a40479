package io.openons.stats.aggregate;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The PostgreSQL side of the aggregation. One batch is one transaction of four statements whatever its size:
 * the offset compare-and-set per partition (fencing a replica that lost its partitions), one insert of the
 * dedupe keys that answers which are new, and one upsert of the per-minute sums
 * ({@code count = count + excluded.count}). A crash anywhere before the commit leaves nothing behind; the
 * batch is read again from the stored offsets and counted then.
 */
@ApplicationScoped
public class JdbcBatchStore implements BatchStore {

    private static final String ENSURE_OFFSET = "INSERT INTO stats.ingest_offset (topic, partition_no, next_offset) "
            + "SELECT ?, p, -1 FROM unnest(?::int[]) AS p ON CONFLICT DO NOTHING";
    private static final String READ_OFFSETS = "SELECT partition_no, next_offset FROM stats.ingest_offset "
            + "WHERE topic = ? AND partition_no = ANY (?::int[])";
    private static final String MOVE_OFFSET = "UPDATE stats.ingest_offset SET next_offset = ?, "
            + "watermark = greatest(watermark, ?), updated_at = now() "
            + "WHERE topic = ? AND partition_no = ? AND next_offset = ?";
    private static final String REMEMBER = "INSERT INTO stats.seen_event (dedupe_key, source_partition, event_time) "
            + "SELECT * FROM unnest(?::uuid[], ?::int[], ?::bigint[]) ON CONFLICT DO NOTHING RETURNING dedupe_key";
    private static final String ADD_COUNTS = "INSERT INTO stats.minute_count "
            + "(account_id, instance_id, group_id, topic, bucket_start, msg_count) "
            + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[]) "
            + "ON CONFLICT (account_id, instance_id, group_id, topic, bucket_start) "
            + "DO UPDATE SET msg_count = minute_count.msg_count + excluded.msg_count";

    private final AgroalDataSource dataSource;

    JdbcBatchStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Map<Integer, Long> offsets(String topic, Collection<Integer> partitions) throws SQLException {
        Map<Integer, Long> result = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            Array parts = c.createArrayOf("int4", partitions.toArray(Integer[]::new));
            try (PreparedStatement ensure = c.prepareStatement(ENSURE_OFFSET)) {
                ensure.setString(1, topic);
                ensure.setArray(2, parts);
                ensure.executeUpdate();
            }
            try (PreparedStatement read = c.prepareStatement(READ_OFFSETS)) {
                read.setString(1, topic);
                read.setArray(2, parts);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        result.put(rs.getInt(1), rs.getLong(2));
                    }
                }
            }
        }
        return result;
    }

    @Override
    public ApplyResult apply(Batch batch, Map<Integer, Long> expected) throws SQLException {
        // The pool resets auto-commit when the connection goes back (and discards a broken one).
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                ApplyResult result = applyIn(c, batch, expected);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /** The work of {@link #apply} inside the caller's transaction, which the caller commits or rolls back. */
    public ApplyResult applyIn(Connection c, Batch batch, Map<Integer, Long> expected) throws SQLException {
        // The offsets first: the compare-and-set fences a replica that lost a partition, and the row lock makes
        // a replica that just took the partition over wait for this transaction, then fail its own check.
        try (PreparedStatement move = c.prepareStatement(MOVE_OFFSET)) {
            for (Batch.PartitionProgress p : batch.progress()) {
                Long from = expected.get(p.partition());
                if (from == null) {
                    throw new OffsetConflictException(batch.topic(), p.partition(), FROM_BEGINNING);
                }
                move.setLong(1, p.nextOffset());
                move.setLong(2, p.watermark());
                move.setString(3, batch.topic());
                move.setInt(4, p.partition());
                move.setLong(5, from);
                if (move.executeUpdate() != 1) {
                    throw new OffsetConflictException(batch.topic(), p.partition(), from);
                }
            }
        }
        if (batch.items().isEmpty()) {
            return new ApplyResult(0, 0);
        }
        Set<UUID> fresh = remember(c, batch);
        TreeMap<BucketKey, Long> sums = batch.sum(fresh);
        if (!sums.isEmpty()) {
            addCounts(c, sums);
        }
        int counted = fresh.size();
        return new ApplyResult(counted, batch.items().size() - counted);
    }

    /** Records the batch's dedupe keys; answers those that were not there before. */
    private static Set<UUID> remember(Connection c, Batch batch) throws SQLException {
        // One row per key, in key order: concurrent replicas then never wait on each other in a cycle.
        TreeMap<UUID, Batch.Item> unique = new TreeMap<>();
        for (Batch.Item item : batch.items()) {
            unique.putIfAbsent(item.event().dedupeKey(), item);
        }
        int n = unique.size();
        UUID[] keys = new UUID[n];
        Integer[] partitions = new Integer[n];
        Long[] times = new Long[n];
        int i = 0;
        for (Map.Entry<UUID, Batch.Item> e : unique.entrySet()) {
            keys[i] = e.getKey();
            partitions[i] = e.getValue().partition();
            times[i] = e.getValue().event().eventTime();
            i++;
        }
        Set<UUID> fresh = new HashSet<>(n * 2);
        try (PreparedStatement remember = c.prepareStatement(REMEMBER)) {
            remember.setArray(1, c.createArrayOf("uuid", keys));
            remember.setArray(2, c.createArrayOf("int4", partitions));
            remember.setArray(3, c.createArrayOf("int8", times));
            try (ResultSet rs = remember.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return fresh;
    }

    private static void addCounts(Connection c, TreeMap<BucketKey, Long> sums) throws SQLException {
        int n = sums.size();
        String[] accounts = new String[n];
        String[] instances = new String[n];
        String[] groups = new String[n];
        String[] topics = new String[n];
        Long[] starts = new Long[n];
        Long[] counts = new Long[n];
        int i = 0;
        for (Map.Entry<BucketKey, Long> e : sums.entrySet()) {
            BucketKey k = e.getKey();
            accounts[i] = k.accountId();
            instances[i] = k.instanceId();
            groups[i] = k.groupId();
            topics[i] = k.topic();
            starts[i] = k.bucketStart();
            counts[i] = e.getValue();
            i++;
        }
        try (PreparedStatement add = c.prepareStatement(ADD_COUNTS)) {
            add.setArray(1, c.createArrayOf("text", accounts));
            add.setArray(2, c.createArrayOf("text", instances));
            add.setArray(3, c.createArrayOf("text", groups));
            add.setArray(4, c.createArrayOf("text", topics));
            add.setArray(5, c.createArrayOf("int8", starts));
            add.setArray(6, c.createArrayOf("int8", counts));
            add.executeUpdate();
        }
    }
}
