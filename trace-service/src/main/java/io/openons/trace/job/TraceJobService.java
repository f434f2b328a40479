package io.openons.trace.job;

import io.openons.contracts.error.OnsError;
import io.openons.service.catalog.ResourceCatalog;
import io.openons.trace.config.TraceConfig;
import io.openons.trace.metrics.TraceMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Creates trace query jobs and reads them for their owner. A job is stored before its QueryId is returned, so it
 * survives any restart; it runs right away on this replica ({@link JobRunner}).
 */
@ApplicationScoped
public class TraceJobService {

    private static final Logger LOG = Logger.getLogger(TraceJobService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ResourceCatalog catalog;
    private final TraceJobRepository jobs;
    private final JobRunner runner;
    private final TraceMetrics metrics;
    private final TraceConfig config;

    TraceJobService(ResourceCatalog catalog, TraceJobRepository jobs, JobRunner runner, TraceMetrics metrics,
            TraceConfig config) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.runner = runner;
        this.metrics = metrics;
        this.config = config;
    }

    /** What a new job looks for; exactly one of msgId and msgKey is set, the times are normalised milliseconds. */
    public record NewJob(String accountId, String regionId, String instanceId, String topic, String msgId,
            String msgKey, long beginTime, long endTime) {
    }

    /**
     * Creates a job on a topic of the caller's instance ({@code AUTH_RESOURCE_OWNER_ERROR} for another account's
     * instance, exactly as for a missing one; {@code BIZ_TOPIC_NOT_FOUND} for a missing topic).
     *
     * @return the QueryId
     */
    public String create(NewJob spec) {
        catalog.requireTopic(spec.accountId(), spec.regionId(), spec.instanceId(), spec.topic());
        String queryId = newQueryId();
        TraceJob job = new TraceJob(queryId, spec.accountId(), spec.regionId(), spec.instanceId(), spec.topic(),
                spec.msgId(), spec.msgKey(), spec.beginTime(), spec.endTime(), JobStatus.WORKING, null, null, null,
                1, null, null);
        try {
            jobs.insertClaimed(job, runner.workerId(), config.job().lease());
        } catch (SQLException e) {
            throw unavailable(e);
        }
        metrics.jobCreated(spec.msgKey() != null ? "msg-key" : "msg-id");
        runner.runSoon(new TraceJobRepository.Claim(queryId, 1));
        return queryId;
    }

    /**
     * The caller's job; {@code BIZ_TRACE_QUERY_NOT_FOUND} when there is none, including another account's or another
     * region's job, so that nobody learns whether someone else's QueryId exists.
     */
    public TraceJob get(String accountId, String regionId, String queryId) {
        try {
            return jobs.findOwned(queryId, accountId, regionId, config.job().resultLifetime())
                    .orElseThrow(() -> OnsError.TRACE_QUERY_NOT_FOUND.exception(
                            queryId.length() <= 64 ? queryId : queryId.substring(0, 61) + "...",
                            readable(config.retention())));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A duration as people write it (3 days, 30 minutes...). */
    static String readable(java.time.Duration d) {
        long seconds = d.toSeconds();
        if (seconds % 86_400 == 0) {
            return plural(seconds / 86_400, "day");
        }
        if (seconds % 3_600 == 0) {
            return plural(seconds / 3_600, "hour");
        }
        if (seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /** 128 random bits as 32 hexadecimal digits: unguessable, and the same length as a message id. */
    static String newQueryId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    private static RuntimeException unavailable(SQLException e) {
        LOG.warnf("Trace database unavailable: %s", e.getMessage());
        return OnsError.SERVICE_UNAVAILABLE.exception("the trace database");
    }
}
