package io.openons.trace.job;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trace query jobs in PostgreSQL. Every time is the database's clock, so that replicas with slightly different
 * clocks agree on leases and lifetimes. Claims use {@code FOR UPDATE SKIP LOCKED}: replicas looking for work at the
 * same moment never wait for each other nor take the same job. {@code attempts} is a fencing token: a result is
 * stored only by the latest claim and only while the job is still working.
 */
@ApplicationScoped
public class TraceJobRepository {

    private static final String MILLIS = " * interval '1 millisecond'";

    private static final String INSERT = """
            INSERT INTO trace.trace_job (query_id, account_id, region_id, instance_id, topic, msg_id, msg_key,
                begin_time, end_time, status, created_at, updated_at, lease_owner, lease_until, attempts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'working', clock_timestamp(), clock_timestamp(), ?,
                clock_timestamp() + ?""" + MILLIS + ", 1) RETURNING created_at";

    private static final String SELECT = """
            SELECT query_id, account_id, region_id, instance_id, topic, msg_id, msg_key, begin_time, end_time, status,
                created_at, updated_at, finished_at, attempts, trace_count, result, clock_timestamp() AS db_now
            FROM trace.trace_job""";

    private static final String CLAIM = """
            UPDATE trace.trace_job j SET lease_owner = ?, lease_until = clock_timestamp() + ?""" + MILLIS + """
            , attempts = j.attempts + 1
            FROM (SELECT query_id FROM trace.trace_job
                  WHERE status = 'working' AND (lease_until IS NULL OR lease_until < clock_timestamp())
                    AND attempts < ?
                  ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED) c
            WHERE j.query_id = c.query_id
            RETURNING j.query_id, j.attempts""";

    private static final String GIVE_UP = """
            UPDATE trace.trace_job SET status = 'removed', updated_at = clock_timestamp(), lease_owner = NULL,
                lease_until = NULL
            WHERE status = 'working' AND (lease_until IS NULL OR lease_until < clock_timestamp()) AND attempts >= ?
            RETURNING query_id""";

    private static final String FINISH = """
            UPDATE trace.trace_job SET status = 'finish', result = ?, trace_count = ?, finished_at = clock_timestamp(),
                updated_at = clock_timestamp(), lease_owner = NULL, lease_until = NULL
            WHERE query_id = ? AND status = 'working' AND attempts = ?
            RETURNING created_at, finished_at""";

    private static final String RELEASE = "UPDATE trace.trace_job SET lease_owner = NULL, lease_until = "
            + "clock_timestamp() + ?" + MILLIS + " WHERE query_id = ? AND status = 'working' AND attempts = ?";

    private static final String RELEASE_OWNED = "UPDATE trace.trace_job SET lease_owner = NULL, lease_until = NULL "
            + "WHERE lease_owner = ? AND status = 'working'";

    private static final String EXPIRE_RESULTS = """
            UPDATE trace.trace_job SET status = 'removed', result = NULL, updated_at = finished_at + ?""" + MILLIS + """

            WHERE query_id IN (SELECT query_id FROM trace.trace_job
                               WHERE status = 'finish' AND finished_at <= clock_timestamp() - ?""" + MILLIS + """
                               LIMIT ?)""";

    private static final String DELETE_OLD = """
            DELETE FROM trace.trace_job WHERE query_id IN (SELECT query_id FROM trace.trace_job
                WHERE created_at < clock_timestamp() - ?""" + MILLIS + " LIMIT ?)";

    private static final String COUNT_BY_STATUS = """
            SELECT CASE WHEN status = 'finish' AND finished_at <= clock_timestamp() - ?""" + MILLIS + """
                    THEN 'removed' ELSE status END AS s, count(*)
            FROM trace.trace_job GROUP BY 1""";

    private final AgroalDataSource dataSource;

    TraceJobRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A claim on a job: run it, then store its result with {@link #finish} under the same attempt number. */
    public record Claim(String queryId, int attempt) {
    }

    /** A finished job's timestamps (database clock), for the latency metric. */
    public record Finished(Instant createdAt, Instant finishedAt) {
    }

    /**
     * Creates a job already claimed by {@code owner} (attempt 1), so the replica that accepted it runs it at once;
     * if that replica dies, the claim expires and any replica runs it.
     *
     * @return the creation time
     */
    public Instant insertClaimed(TraceJob job, String owner, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, job.queryId());
            ps.setString(2, job.accountId());
            ps.setString(3, job.regionId());
            ps.setString(4, job.instanceId());
            ps.setString(5, job.topic());
            ps.setString(6, job.msgId());
            ps.setString(7, job.msgKey());
            ps.setLong(8, job.beginTime());
            ps.setLong(9, job.endTime());
            ps.setString(10, owner);
            ps.setLong(11, lease.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /**
     * The job as its owner sees it: a finished job whose result lifetime has passed reads as removed (without its
     * result) even before the purge has removed the result, so the answer never depends on the purge's timing.
     */
    public Optional<TraceJob> findOwned(String queryId, String accountId, String regionId, Duration resultLifetime)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT
                        + " WHERE query_id = ? AND account_id = ? AND region_id = ?")) {
            ps.setString(1, queryId);
            ps.setString(2, accountId);
            ps.setString(3, regionId);
            return readOne(ps, resultLifetime);
        }
    }

    /** The job for a worker (no owner check: the worker holds a claim on it). */
    public Optional<TraceJob> find(String queryId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT + " WHERE query_id = ?")) {
            ps.setString(1, queryId);
            return readOne(ps, null);
        }
    }

    /** Claims up to {@code limit} working jobs that nobody holds (oldest first). */
    public List<Claim> claimUnheld(String owner, Duration lease, int maxAttempts, int limit) throws SQLException {
        List<Claim> claims = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, owner);
            ps.setLong(2, lease.toMillis());
            ps.setInt(3, maxAttempts);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claims.add(new Claim(rs.getString(1), rs.getInt(2)));
                }
            }
        }
        return claims;
    }

    /** Gives up the unheld jobs that failed {@code maxAttempts} times: they read as removed. */
    public List<String> giveUpExhausted(int maxAttempts) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(GIVE_UP)) {
            ps.setInt(1, maxAttempts);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * Stores the result of a job, once: only under the latest claim and only while the job is still working.
     *
     * @return the job's timestamps, or empty when another claim superseded this one or the job was finished
     */
    public Optional<Finished> finish(Claim claim, String result, int traceCount) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FINISH)) {
            ps.setString(1, result);
            ps.setInt(2, traceCount);
            ps.setString(3, claim.queryId());
            ps.setInt(4, claim.attempt());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Finished(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()));
            }
        }
    }

    /** Lets any replica claim the job again after {@code delay} (after a failed run). */
    public void release(Claim claim, Duration delay) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RELEASE)) {
            ps.setLong(1, delay.toMillis());
            ps.setString(2, claim.queryId());
            ps.setInt(3, claim.attempt());
            ps.executeUpdate();
        }
    }

    /** Lets other replicas claim at once the jobs this one still holds (graceful shutdown). */
    public int releaseAllOwnedBy(String owner) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RELEASE_OWNED)) {
            ps.setString(1, owner);
            return ps.executeUpdate();
        }
    }

    /** Drops the results of up to {@code limit} jobs finished longer than {@code lifetime} ago. */
    public int expireResults(Duration lifetime, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(EXPIRE_RESULTS)) {
            ps.setLong(1, lifetime.toMillis());
            ps.setLong(2, lifetime.toMillis());
            ps.setInt(3, limit);
            return ps.executeUpdate();
        }
    }

    /** Deletes up to {@code limit} jobs created longer than {@code age} ago. */
    public int deleteCreatedBefore(Duration age, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE_OLD)) {
            ps.setLong(1, age.toMillis());
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }

    /** How many jobs have each status (as their owners would read it). */
    public Map<JobStatus, Long> countByStatus(Duration resultLifetime) throws SQLException {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            counts.put(s, 0L);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(COUNT_BY_STATUS)) {
            ps.setLong(1, resultLifetime.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(JobStatus.fromWire(rs.getString(1)), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    private static Optional<TraceJob> readOne(PreparedStatement ps, Duration resultLifetime) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            JobStatus status = JobStatus.fromWire(rs.getString("status"));
            Instant updatedAt = instant(rs.getTimestamp("updated_at"));
            Instant finishedAt = instant(rs.getTimestamp("finished_at"));
            String result = rs.getString("result");
            Instant now = instant(rs.getTimestamp("db_now"));
            if (resultLifetime != null && status == JobStatus.FINISH && finishedAt != null
                    && !finishedAt.plus(resultLifetime).isAfter(now)) {
                status = JobStatus.REMOVED;
                updatedAt = finishedAt.plus(resultLifetime);
                result = null;
            }
            int traceCount = rs.getInt("trace_count");
            Integer traces = rs.wasNull() ? null : traceCount;
            return Optional.of(new TraceJob(rs.getString("query_id"), rs.getString("account_id"),
                    rs.getString("region_id"), rs.getString("instance_id"), rs.getString("topic"),
                    rs.getString("msg_id"), rs.getString("msg_key"), rs.getLong("begin_time"),
                    rs.getLong("end_time"), status, instant(rs.getTimestamp("created_at")), updatedAt, finishedAt,
                    rs.getInt("attempts"), traces, result));
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
