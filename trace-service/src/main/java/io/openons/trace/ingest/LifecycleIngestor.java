package io.openons.trace.ingest;

import io.openons.contracts.event.EventTopics;
import io.openons.trace.config.TraceConfig;
import io.openons.trace.metrics.TraceMetrics;
import io.openons.trace.trace.TraceEvent;
import io.openons.trace.trace.TraceEventRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@link EventTopics#MESSAGE_LIFECYCLE} into PostgreSQL: one poll, one database transaction, then the
 * offsets. Offsets are committed only after the events are committed, so a crash in between delivers the batch again
 * and the event ids make the second delivery a no-op: nothing is lost and nothing counts twice. Replicas share the
 * partitions through one consumer group.
 *
 * <p>When the database refuses a batch, the consumer goes back to the batch's first offsets and tries again after a
 * growing pause, polling all the while so that it keeps its partitions.
 */
@ApplicationScoped
public class LifecycleIngestor {

    private static final Logger LOG = Logger.getLogger(LifecycleIngestor.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long LAG_REFRESH_NANOS = Duration.ofSeconds(5).toNanos();

    private final TraceConfig config;
    private final Map<String, Object> kafkaConfig;
    private final LifecycleTopic topic;
    private final LifecycleEventReader reader;
    private final TraceEventRepository repository;
    private final TraceMetrics metrics;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile long lastPollNanos;
    private volatile boolean subscribed;
    private Thread thread;
    private long lagRefreshedNanos;

    LifecycleIngestor(TraceConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            LifecycleTopic topic, LifecycleEventReader reader, TraceEventRepository repository,
            TraceMetrics metrics) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.topic = topic;
        this.reader = reader;
        this.repository = repository;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent start) {
        running = true;
        thread = new Thread(this::run, "trace-ingest");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the consumer is subscribed and polled recently (readiness). */
    public boolean healthy() {
        return subscribed && System.nanoTime() - lastPollNanos < Duration.ofSeconds(30).toNanos();
    }

    private void run() {
        long backoff = 200;
        while (running && !topic.ensure(Duration.ofSeconds(10))) {
            sleep(backoff);
            backoff = Math.min(backoff * 2, 5_000);
        }
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = newConsumer()) {
                consumer = c;
                c.subscribe(List.of(EventTopics.MESSAGE_LIFECYCLE));
                subscribed = true;
                consume(c);
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                LOG.warnf("Lifecycle ingestion lost Kafka, reconnecting: %s", e.getMessage());
                sleep(1_000);
            } finally {
                subscribed = false;
                consumer = null;
            }
        }
    }

    private void consume(KafkaConsumer<byte[], byte[]> c) {
        long failures = 0;
        while (running) {
            ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
            lastPollNanos = System.nanoTime();
            if (!records.isEmpty()) {
                if (storeAndCommit(c, records)) {
                    failures = 0;
                } else {
                    failures++;
                    rewind(c, records);
                    sleep(Math.min(5_000, 100L << Math.min(failures, 6)));
                }
            }
            refreshLag(c);
        }
    }

    /** Stores the batch and commits its offsets; false (nothing committed) when the database failed. */
    private boolean storeAndCommit(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Map<UUID, TraceEvent> batch = new LinkedHashMap<>(records.count() * 2);
        long newest = 0;
        int accepted = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            LifecycleEventReader.Read read = reader.read(record.value());
            if (read.event() == null) {
                metrics.skipped(read.skipReason());
                LOG.debugf("Skipped lifecycle event at %s-%d@%d: %s", record.topic(), record.partition(),
                        record.offset(), read.skipReason());
                continue;
            }
            accepted++;
            batch.putIfAbsent(read.event().eventId(), read.event());
            newest = Math.max(newest, read.event().occurredAt());
        }
        int inBatchDuplicates = accepted - batch.size();
        if (!batch.isEmpty()) {
            List<TraceEvent> events = new ArrayList<>(batch.values());
            long started = System.nanoTime();
            int stored;
            try {
                stored = repository.store(events);
            } catch (Exception e) {
                metrics.storeFailed();
                LOG.warnf("Storing %d lifecycle events failed, will retry: %s", events.size(), e.getMessage());
                return false;
            }
            metrics.batchStore().record(Duration.ofNanos(System.nanoTime() - started));
            metrics.ingested(stored, events.size() - stored + inBatchDuplicates);
        }
        commit(c, records);
        if (newest > 0) {
            metrics.committed(newest);
        }
        return true;
    }

    private void commit(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> partitionRecords = records.records(tp);
            long next = partitionRecords.get(partitionRecords.size() - 1).offset() + 1;
            offsets.put(tp, new OffsetAndMetadata(next));
        }
        try {
            c.commitSync(offsets);
        } catch (CommitFailedException e) {
            // The partitions moved to another replica meanwhile; it reads these events again and finds them stored.
            LOG.infof("Offsets not committed after a rebalance (the events are stored; redelivery is harmless): %s",
                    e.getMessage());
        }
    }

    private void rewind(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Set<TopicPartition> assigned = c.assignment();
        for (TopicPartition tp : records.partitions()) {
            if (assigned.contains(tp)) {
                c.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }

    private void refreshLag(KafkaConsumer<byte[], byte[]> c) {
        long now = System.nanoTime();
        if (now - lagRefreshedNanos < LAG_REFRESH_NANOS) {
            return;
        }
        lagRefreshedNanos = now;
        Set<TopicPartition> assigned = c.assignment();
        if (assigned.isEmpty()) {
            metrics.lag(0);
            return;
        }
        try {
            Map<TopicPartition, Long> ends = c.endOffsets(assigned, Duration.ofSeconds(2));
            long lag = 0;
            for (TopicPartition tp : assigned) {
                lag += Math.max(0, ends.getOrDefault(tp, 0L) - c.position(tp, Duration.ofSeconds(2)));
            }
            metrics.lag(lag);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debugf("Lag not measured: %s", e.getMessage());
        }
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.ingest().consumerGroup());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "trace-ingest-" + hostName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.ingest().maxBatch());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
