package io.openons.trace.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.openons.trace.config.TraceConfig;
import io.openons.trace.job.JobStatus;
import io.openons.trace.job.TraceJobRepository;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The metrics of trace-service (Prometheus at {@code /q/metrics}): events ingested, duplicates and skipped events,
 * ingestion lag (records behind and age of the newest stored event), jobs by status and job latency.
 */
@Startup
@ApplicationScoped
public class TraceMetrics {

    private static final Logger LOG = Logger.getLogger(TraceMetrics.class);

    private final MeterRegistry registry;
    private final TraceJobRepository jobs;
    private final TraceConfig config;
    private final Counter ingested;
    private final Counter duplicates;
    private final Counter storeFailures;
    private final Timer batchStore;
    private final Timer jobLatency;
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final AtomicLong lagRecords = new AtomicLong();
    private final AtomicLong newestStoredEventAt = new AtomicLong();
    private final Map<JobStatus, AtomicLong> jobsByStatus = new EnumMap<>(JobStatus.class);

    TraceMetrics(MeterRegistry registry, TraceJobRepository jobs, TraceConfig config) {
        this.registry = registry;
        this.jobs = jobs;
        this.config = config;
        ingested = Counter.builder("ons.trace.events.ingested")
                .description("Lifecycle events stored (each event id once)").register(registry);
        duplicates = Counter.builder("ons.trace.events.duplicate")
                .description("Lifecycle events received again and ignored (already stored)").register(registry);
        storeFailures = Counter.builder("ons.trace.ingest.failures")
                .description("Batches whose storage failed and was retried").register(registry);
        batchStore = Timer.builder("ons.trace.ingest.batch")
                .description("Time to store one batch of events in PostgreSQL").register(registry);
        jobLatency = Timer.builder("ons.trace.job.latency")
                .description("Trace query jobs: from creation to stored result")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        Gauge.builder("ons.trace.ingest.lag.records", lagRecords, AtomicLong::get)
                .description("Lifecycle events in Kafka not yet stored, over this replica's partitions")
                .register(registry);
        Gauge.builder("ons.trace.ingest.lag.seconds", newestStoredEventAt,
                        t -> t.get() == 0 ? 0 : Math.max(0, System.currentTimeMillis() - t.get()) / 1000.0)
                .description("Age of the newest event stored by this replica when its batch was committed")
                .register(registry);
        for (JobStatus status : JobStatus.values()) {
            AtomicLong count = new AtomicLong();
            jobsByStatus.put(status, count);
            Gauge.builder("ons.trace.jobs", count, AtomicLong::get).tag("status", status.wire())
                    .description("Trace query jobs by status (refreshed every 15 s)").register(registry);
        }
    }

    public void ingested(int stored, int duplicate) {
        ingested.increment(stored);
        duplicates.increment(duplicate);
    }

    public void skipped(String reason) {
        skipped.computeIfAbsent(reason, r -> Counter.builder("ons.trace.events.skipped").tag("reason", r)
                .description("Lifecycle events that could not be used").register(registry)).increment();
    }

    public void storeFailed() {
        storeFailures.increment();
    }

    public Timer batchStore() {
        return batchStore;
    }

    public void committed(long newestEventAt) {
        newestStoredEventAt.accumulateAndGet(newestEventAt, Math::max);
    }

    public void lag(long records) {
        lagRecords.set(records);
    }

    public void jobFinished(Duration createToFinish) {
        jobLatency.record(createToFinish);
    }

    public void jobRun(String outcome) {
        registry.counter("ons.trace.job.runs", "outcome", outcome).increment();
    }

    public void jobCreated(String kind) {
        registry.counter("ons.trace.jobs.created", "kind", kind).increment();
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshJobCounts() {
        try {
            jobs.countByStatus(config.job().resultLifetime()).forEach((s, n) -> jobsByStatus.get(s).set(n));
        } catch (Exception e) {
            LOG.debugf("Job counts not refreshed: %s", e.getMessage());
        }
    }
}
