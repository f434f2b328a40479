package io.openons.stats.maintenance;

import io.agroal.api.AgroalDataSource;
import io.openons.contracts.event.EventTopics;
import io.openons.stats.aggregate.TimeBuckets;
import io.openons.stats.config.StatsConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps storage bounded: rolls 1-minute counts older than the minute resolution up into 10-minute counts,
 * deletes counts older than the retention, and forgets dedupe keys once their partition has moved on by the
 * dedupe window. One replica at a time (advisory lock); every step is one statement in one transaction, so a
 * count is always in exactly one of the two tables, and queries (one statement each) never see it twice.
 */
@ApplicationScoped
public class Maintenance {

    private static final Logger LOG = Logger.getLogger(Maintenance.class);
    /** Advisory lock key of this job (any constant shared by the replicas). */
    private static final long LOCK_KEY = 0x0005_7a75_0001L;

    private static final String ROLLUP = "WITH moved AS (DELETE FROM stats.minute_count WHERE bucket_start < ? "
            + "RETURNING account_id, instance_id, group_id, topic, bucket_start, msg_count) "
            + "INSERT INTO stats.ten_minute_count (account_id, instance_id, group_id, topic, bucket_start, msg_count) "
            + "SELECT account_id, instance_id, group_id, topic, bucket_start - mod(bucket_start, "
            + TimeBuckets.ROLLUP_MS + "), sum(msg_count) FROM moved GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 "
            + "ON CONFLICT (account_id, instance_id, group_id, topic, bucket_start) "
            + "DO UPDATE SET msg_count = ten_minute_count.msg_count + excluded.msg_count";
    private static final String EXPIRE_MINUTES = "DELETE FROM stats.minute_count WHERE bucket_start < ?";
    private static final String EXPIRE_TEN_MINUTES = "DELETE FROM stats.ten_minute_count WHERE bucket_start < ?";
    private static final String WATERMARKS = "SELECT partition_no, watermark FROM stats.ingest_offset WHERE topic = ?";
    private static final String FORGET = "DELETE FROM stats.seen_event WHERE source_partition = ? AND event_time < ?";

    private final AgroalDataSource dataSource;
    private final StatsConfig config;

    Maintenance(AgroalDataSource dataSource, StatsConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** What one run did; {@code ran} is false when another replica held the lock. */
    public record Result(boolean ran, int minutesRolledUp, int countsExpired, int dedupeKeysForgotten) {
    }

    @Scheduled(every = "${ons.stats.maintenance-interval}", delayed = "${ons.stats.maintenance-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Result r = runOnce(System.currentTimeMillis());
            if (r.ran() && (r.minutesRolledUp() + r.countsExpired() + r.dedupeKeysForgotten()) > 0) {
                LOG.debugf("Maintenance: %s", r);
            }
        } catch (SQLException e) {
            LOG.warnf("Maintenance failed, retried at the next run: %s", e.getMessage());
        }
    }

    /** One pass as of {@code now} (epoch ms). */
    public Result runOnce(long now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!tryLock(c)) {
                    c.rollback();
                    return new Result(false, 0, 0, 0);
                }
                long horizon = now - config.retention().toMillis();
                // Whole 10-minute blocks only, so a rolled-up bucket never has a part still in minute_count
                // (except late events, which the next run adds to it).
                long rollupBefore = TimeBuckets.floor(now - config.minuteResolution().toMillis(),
                        TimeBuckets.ROLLUP_MS);
                int expired = update(c, EXPIRE_MINUTES, TimeBuckets.minute(horizon));
                // A 10-minute bucket goes when it is wholly past the horizon.
                expired += update(c, EXPIRE_TEN_MINUTES, TimeBuckets.floor(horizon, TimeBuckets.ROLLUP_MS)
                        - TimeBuckets.ROLLUP_MS + 1);
                int rolled = update(c, ROLLUP, rollupBefore);
                int forgotten = forgetDedupeKeys(c);
                c.commit();
                return new Result(true, rolled, expired, forgotten);
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /**
     * A duplicate is published close to its original, so it is read close to it in the same partition (the
     * record key, the message id, fixes the partition). Measuring the window in each partition's own event time
     * keeps the keys needed after a long outage, when wall-clock time has moved on but the stream has not.
     */
    private int forgetDedupeKeys(Connection c) throws SQLException {
        Map<Integer, Long> watermarks = new LinkedHashMap<>();
        try (PreparedStatement read = c.prepareStatement(WATERMARKS)) {
            read.setString(1, EventTopics.MESSAGE_LIFECYCLE);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    watermarks.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        int forgotten = 0;
        long window = config.dedupeWindow().toMillis();
        try (PreparedStatement forget = c.prepareStatement(FORGET)) {
            for (Map.Entry<Integer, Long> w : watermarks.entrySet()) {
                if (w.getValue() <= window) {
                    continue;
                }
                forget.setInt(1, w.getKey());
                forget.setLong(2, w.getValue() - window);
                forgotten += forget.executeUpdate();
            }
        }
        return forgotten;
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static int update(Connection c, String sql, long bound) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, bound);
            return s.executeUpdate();
        }
    }
}
