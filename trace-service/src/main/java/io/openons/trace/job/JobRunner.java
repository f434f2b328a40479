package io.openons.trace.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.service.api.ItemList;
import io.openons.trace.config.TraceConfig;
import io.openons.trace.metrics.TraceMetrics;
import io.openons.trace.trace.TraceMapDo;
import io.openons.trace.trace.TraceSearch;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs trace query jobs on this replica. A job created here runs at once on the local workers (it was created with
 * this replica's claim); besides, every replica regularly claims jobs that nobody holds (their creator died, or its
 * claim expired, or it handed them back) with {@code FOR UPDATE SKIP LOCKED}, so a job is never lost as long as one
 * replica runs. A run stores its result only under its own claim ({@link TraceJobRepository#finish}), so a replica
 * that resumes after its claim expired cannot overwrite the answer of the one that took over.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final TraceJobRepository jobs;
    private final TraceSearch search;
    private final ObjectMapper json;
    private final TraceMetrics metrics;
    private final TraceConfig config;
    private final String workerId;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService poller;

    JobRunner(TraceJobRepository jobs, TraceSearch search, ObjectMapper json, TraceMetrics metrics,
            TraceConfig config) {
        this.jobs = jobs;
        this.search = search;
        this.json = json;
        this.metrics = metrics;
        this.config = config;
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        this.workerId = hostName() + "-" + HexFormat.of().formatHex(suffix);
    }

    void start(@Observes StartupEvent start) {
        int n = Math.max(1, config.job().workers());
        AtomicInteger threads = new AtomicInteger();
        workers = new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(n * 64), r -> {
            Thread t = new Thread(r, "trace-job-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trace-job-poller");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, config.job().pollInterval().toMillis());
        poller.scheduleWithFixedDelay(this::claimUnheld, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (poller != null) {
            poller.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            int released = jobs.releaseAllOwnedBy(workerId);
            if (released > 0) {
                LOG.infof("Handed %d unfinished trace query job(s) back to the other replicas", released);
            }
        } catch (Exception e) {
            LOG.warnf("Unfinished jobs not handed back (they are retried when their claim expires): %s",
                    e.getMessage());
        }
    }

    /** The identity of this replica in job claims. */
    public String workerId() {
        return workerId;
    }

    /** Runs a claimed job on a local worker, or hands it back to every replica when the workers are saturated. */
    public void runSoon(TraceJobRepository.Claim claim) {
        try {
            workers.execute(() -> run(claim));
        } catch (RejectedExecutionException e) {
            try {
                jobs.release(claim, Duration.ZERO);
            } catch (Exception ex) {
                LOG.debugf("Job %s not handed back (retried when its claim expires): %s", claim.queryId(),
                        ex.getMessage());
            }
        }
    }

    /** One pass of the poller: give up exhausted jobs, claim unheld ones up to the free worker capacity. */
    void claimUnheld() {
        try {
            for (String id : jobs.giveUpExhausted(config.job().maxAttempts())) {
                LOG.errorf("Trace query job %s failed %d times and is given up (it reads as removed)", id,
                        config.job().maxAttempts());
                metrics.jobRun("given-up");
            }
            int free = workers.getMaximumPoolSize() * 2 - workers.getActiveCount() - workers.getQueue().size();
            if (free <= 0) {
                return;
            }
            for (TraceJobRepository.Claim claim : jobs.claimUnheld(workerId, config.job().lease(),
                    config.job().maxAttempts(), free)) {
                LOG.debugf("Claimed unheld trace query job %s (attempt %d)", claim.queryId(), claim.attempt());
                runSoon(claim);
            }
        } catch (Exception e) {
            LOG.debugf("Job poll failed: %s", e.getMessage());
        }
    }

    /** Runs one job under its claim and stores the result once. */
    void run(TraceJobRepository.Claim claim) {
        try {
            Optional<TraceJob> found = jobs.find(claim.queryId());
            if (found.isEmpty() || found.get().status() != JobStatus.WORKING
                    || found.get().attempts() != claim.attempt()) {
                metrics.jobRun("superseded");
                return;
            }
            TraceJob job = found.get();
            List<TraceMapDo> traces = job.byKey()
                    ? search.byMsgKey(job.instanceId(), job.topic(), job.msgKey(), job.beginTime(), job.endTime(),
                            config.job().maxTraces())
                    : search.byMsgId(job.instanceId(), job.topic(), job.msgId(), job.beginTime(), job.endTime());
            String result = json.writeValueAsString(ItemList.of("TraceMapDo", traces));
            Optional<TraceJobRepository.Finished> finished = jobs.finish(claim, result, traces.size());
            if (finished.isPresent()) {
                metrics.jobRun("finished");
                metrics.jobFinished(Duration.between(finished.get().createdAt(), finished.get().finishedAt()));
            } else {
                metrics.jobRun("superseded");
            }
        } catch (Exception e) {
            metrics.jobRun("failed");
            LOG.warnf("Trace query job %s failed (attempt %d), it will be retried: %s", claim.queryId(),
                    claim.attempt(), e.toString());
            try {
                jobs.release(claim, Duration.ofMillis(Math.min(config.job().lease().toMillis(),
                        500L << Math.min(claim.attempt(), 6))));
            } catch (Exception ex) {
                LOG.debugf("Job %s not released (retried when its claim expires): %s", claim.queryId(),
                        ex.getMessage());
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "trace";
        }
    }
}
