package io.openons.stats.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The aggregation's meters ({@code /q/metrics}): events by outcome ({@code ons_stats_events_total}:
 * counted, duplicate, ignored, late), the records not read yet ({@code ons_stats_ingest_lag_records}), the
 * event time of the newest counted batch, batch durations and replays after offset conflicts or failures.
 */
@ApplicationScoped
public class IngestMetrics {

    private final Counter counted;
    private final Counter duplicates;
    private final Counter ignored;
    private final Counter late;
    private final Counter replays;
    private final Timer batches;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong lastEventTime = new AtomicLong();

    IngestMetrics(MeterRegistry registry) {
        counted = Counter.builder("ons.stats.events").tag("outcome", "counted")
                .description("Lifecycle events counted into the trends").register(registry);
        duplicates = Counter.builder("ons.stats.events").tag("outcome", "duplicate")
                .description("Lifecycle events recognised as already counted").register(registry);
        ignored = Counter.builder("ons.stats.events").tag("outcome", "ignored")
                .description("Lifecycle events that count nothing (other types, unreadable, other versions)")
                .register(registry);
        late = Counter.builder("ons.stats.events").tag("outcome", "late")
                .description("Lifecycle events older than the retention, not counted").register(registry);
        replays = Counter.builder("ons.stats.ingest.replays")
                .description("Batches dropped and read again (offset moved by another replica, or a failure)")
                .register(registry);
        batches = Timer.builder("ons.stats.ingest.batch").description("Time to apply one batch")
                .register(registry);
        Gauge.builder("ons.stats.ingest.lag", lag, AtomicLong::get).baseUnit("records")
                .description("Lifecycle records not read yet by this replica's partitions").register(registry);
        Gauge.builder("ons.stats.ingest.event.time", lastEventTime, AtomicLong::get).baseUnit("milliseconds")
                .description("Event time of the newest record counted by this replica").register(registry);
    }

    void applied(int countedEvents, int duplicateEvents, int ignoredEvents, int lateEvents, long nanos) {
        counted.increment(countedEvents);
        duplicates.increment(duplicateEvents);
        ignored.increment(ignoredEvents);
        late.increment(lateEvents);
        batches.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void replayed() {
        replays.increment();
    }

    void lag(long records) {
        lag.set(records);
    }

    void eventTime(long time) {
        lastEventTime.accumulateAndGet(time, Math::max);
    }
}
