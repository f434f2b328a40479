package io.openons.trace.retention;

import io.agroal.api.AgroalDataSource;
import io.openons.trace.config.TraceConfig;
import io.openons.trace.job.TraceJobRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Keeps trace data within the message retention: every trace record (event, key) is deleted once the retention has
 * passed since it happened (for a delayed message's publication: since its delivery time), as the records of a
 * RocketMQ trace topic expire; finished jobs lose their result after the result lifetime and are deleted after the
 * retention. Deletes go in bounded batches; an advisory lock lets one replica purge at a time.
 */
@ApplicationScoped
public class RetentionPurger {

    private static final Logger LOG = Logger.getLogger(RetentionPurger.class);
    /** Advisory lock id of the purge ("tracepur" in ASCII). */
    private static final long PURGE_LOCK = 0x7472616365707572L;

    private static final String DELETE_EVENTS = "DELETE FROM trace.trace_event WHERE event_id IN "
            + "(SELECT event_id FROM trace.trace_event WHERE retain_from < ? LIMIT ?)";
    private static final String DELETE_KEYS = "DELETE FROM trace.trace_key WHERE ctid IN "
            + "(SELECT ctid FROM trace.trace_key WHERE retain_from < ? LIMIT ?)";

    private final AgroalDataSource dataSource;
    private final TraceJobRepository jobs;
    private final TraceConfig config;

    RetentionPurger(AgroalDataSource dataSource, TraceJobRepository jobs, TraceConfig config) {
        this.dataSource = dataSource;
        this.jobs = jobs;
        this.config = config;
    }

    /** What one purge removed. */
    public record Purged(long events, long keys, long expiredResults, long jobs) {
    }

    @Scheduled(every = "${ons.trace.purge.interval}", delayed = "${ons.trace.purge.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Purged purged = purge(System.currentTimeMillis());
            if (purged.events() + purged.keys() + purged.expiredResults() + purged.jobs() > 0) {
                LOG.infof("Retention purge: %d event(s), %d key(s), %d expired result(s), %d job(s)",
                        purged.events(), purged.keys(), purged.expiredResults(), purged.jobs());
            }
        } catch (Exception e) {
            LOG.warnf("Retention purge failed, will retry: %s", e.getMessage());
        }
    }

    /** Purges everything older than the retention as of {@code nowMillis}; skipped while another replica purges. */
    public Purged purge(long nowMillis) throws SQLException {
        long cutoff = nowMillis - config.retention().toMillis();
        int batch = config.purge().batchSize();
        try (Connection lockHolder = dataSource.getConnection()) {
            if (!tryLock(lockHolder)) {
                return new Purged(0, 0, 0, 0);
            }
            try {
                long events = deleteAll(DELETE_EVENTS, cutoff, batch);
                long keys = deleteAll(DELETE_KEYS, cutoff, batch);
                long expired = 0;
                int n;
                do {
                    n = jobs.expireResults(config.job().resultLifetime(), batch);
                    expired += n;
                } while (n == batch);
                long deletedJobs = 0;
                do {
                    n = jobs.deleteCreatedBefore(config.retention(), batch);
                    deletedJobs += n;
                } while (n == batch);
                return new Purged(events, keys, expired, deletedJobs);
            } finally {
                unlock(lockHolder);
            }
        }
    }

    private long deleteAll(String sql, long cutoff, int batch) throws SQLException {
        long total = 0;
        int n;
        do {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, cutoff);
                ps.setInt(2, batch);
                n = ps.executeUpdate();
            }
            total += n;
        } while (n == batch);
        return total;
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, PURGE_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, PURGE_LOCK);
            ps.execute();
        }
    }
}
