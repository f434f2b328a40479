package io.openons.message.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.contracts.event.ResourceEvent;
import io.openons.message.config.MessageConfig;
import io.openons.message.consume.ArrivalBus;
import io.openons.message.jdbc.Jdbc;
import io.openons.message.kafka.MessageHeaders;
import io.openons.message.kafka.MessageKafka;
import io.openons.message.lifecycle.EventBuilder;
import io.openons.message.lifecycle.LifecycleEvents;
import io.openons.message.model.Digests;
import io.openons.service.catalog.ResourceCatalog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Indexes every record of the ONS topics' Kafka topics into PostgreSQL, whoever produced it (the suite's
 * publish path, a transaction commit, or a plain Kafka producer). All replicas share one Kafka consumer group,
 * so each partition is indexed by one replica at a time. Per poll: one database transaction inserts the batch
 * (skipping what is indexed already), the lifecycle events are flushed to Kafka, and only then are the Kafka
 * offsets committed: a crash at any point re-reads the batch, and re-indexing it changes nothing (the same
 * ids, the same positions, the same event ids). Nothing is lost, nothing is indexed twice.
 */
@ApplicationScoped
public class Indexer {

    private static final Logger LOG = Logger.getLogger(Indexer.class);
    /** How long a Kafka topic missing from the catalog is remembered as such (its records are skipped). */
    private static final long UNKNOWN_TOPIC_MEMORY_MILLIS = 30_000;

    private final MessageKafka kafka;
    private final MessageConfig config;
    private final ResourceCatalog catalog;
    private final Jdbc jdbc;
    private final IndexRepository repository;
    private final LifecycleEvents events;
    private final ArrivalBus arrivals;
    private final ObjectMapper json;
    private final Counter indexed;
    private final Counter skipped;
    private final Timer lag;
    private final AtomicLong lastLagMillis = new AtomicLong();
    private final AtomicLong lastBatchAt = new AtomicLong();
    private final Map<String, Long> unknownTopics = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean healthy;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    Indexer(MessageKafka kafka, MessageConfig config, ResourceCatalog catalog, Jdbc jdbc, IndexRepository repository,
            LifecycleEvents events, ArrivalBus arrivals, ObjectMapper json, MeterRegistry registry) {
        this.kafka = kafka;
        this.config = config;
        this.catalog = catalog;
        this.jdbc = jdbc;
        this.repository = repository;
        this.events = events;
        this.arrivals = arrivals;
        this.json = json;
        this.indexed = registry.counter("ons_message_indexed");
        this.skipped = registry.counter("ons_message_index_skipped");
        this.lag = Timer.builder("ons_message_index_lag").description("store time to indexed (committed)")
                .publishPercentiles(0.5, 0.99).register(registry);
        registry.gauge("ons_message_index_lag_last_ms", lastLagMillis);
    }

    void start(@Observes StartupEvent start) {
        running = true;
        thread = new Thread(this::run, "message-indexer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (thread != null) {
                thread.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the indexer is connected and working (readiness). */
    public boolean healthy() {
        return healthy;
    }

    private void run() {
        while (running) {
            if (!catalog.caughtUp()) {
                // Records can only be attributed to their topic once the replica of resources is complete.
                sleep(200);
                continue;
            }
            try (KafkaConsumer<byte[], byte[]> c = kafka.indexConsumer(config.index().consumerGroup(),
                    config.index().batchSize(), config.index().topicDiscoveryInterval())) {
                consumer = c;
                c.subscribe(Pattern.compile(config.index().topicPattern()));
                healthy = true;
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        index(c, records);
                    }
                }
            } catch (WakeupException e) {
                // shutting down
            } catch (RuntimeException e) {
                healthy = false;
                LOG.warnf(e, "Indexer failed; restarting from the last committed offsets");
                sleep(1000);
            } finally {
                consumer = null;
            }
        }
        healthy = false;
    }

    private void index(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        List<IndexRow> rows = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<String, Optional<ResourceCatalog.Entry<ResourceEvent.TopicRecord>>> topicsOfBatch = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            offsets.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1));
            Optional<ResourceCatalog.Entry<ResourceEvent.TopicRecord>> topic =
                    topicsOfBatch.computeIfAbsent(record.topic(), this::topicOf);
            if (topic.isEmpty()) {
                skipped.increment();
                continue;
            }
            rows.add(toRow(record, topic.get()));
        }
        IndexRepository.IndexedBatch batch = rows.isEmpty() ? new IndexRepository.IndexedBatch(rows, Set.of())
                : jdbc.inTransaction(conn -> repository.insert(conn, rows));
        Set<String> inserted = batch.inserted();
        long now = System.currentTimeMillis();
        Set<String> topics = new HashSet<>();
        for (IndexRow row : batch.rows()) {
            topics.add(row.kafkaTopic());
            events.emit(published(row));
            if (inserted.contains(row.msgId())) {
                long l = Math.max(0, now - row.storeTimestamp());
                lag.record(l, TimeUnit.MILLISECONDS);
                lastLagMillis.set(l);
            }
        }
        indexed.increment(inserted.size());
        topics.forEach(arrivals::wake);
        // Events of the batch are on Kafka before its offsets are committed: a restart re-emits (same ids).
        events.flush();
        commit(c, offsets);
        lastBatchAt.set(now);
    }

    /**
     * Commits the batch's offsets. A failed commit only means that a restart indexes the batch again (which
     * changes nothing), so it must never stall indexing: offsets of partitions no longer assigned (a deleted
     * topic, a rebalance) are dropped, and the commit gives up after a few seconds.
     */
    private void commit(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        Set<TopicPartition> assigned = c.assignment();
        offsets.keySet().removeIf(tp -> !assigned.contains(tp));
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commitSync(offsets, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.RebalanceInProgressException
                | org.apache.kafka.common.errors.TimeoutException
                | org.apache.kafka.clients.consumer.CommitFailedException e) {
            LOG.debugf("Index offsets not committed (the batch would be indexed again): %s", e.getMessage());
        } catch (org.apache.kafka.common.KafkaException e) {
            if (e instanceof WakeupException) {
                throw e;
            }
            LOG.warnf("Index offsets not committed (the batch would be indexed again): %s", e.getMessage());
        }
    }

    private IndexRow toRow(ConsumerRecord<byte[], byte[]> record, ResourceCatalog.Entry<ResourceEvent.TopicRecord> t) {
        MessageHeaders.Decoded h = MessageHeaders.decode(record);
        byte[] body = record.value() == null ? new byte[0] : record.value();
        int headerBytes = 0;
        for (var header : record.headers()) {
            headerBytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        String properties;
        try {
            properties = h.properties().isEmpty() ? null : json.writeValueAsString(h.properties());
        } catch (Exception e) {
            properties = null;
        }
        return new IndexRow(h.msgId(), record.topic(), record.partition(), record.offset(), t.accountId(),
                t.resource().instanceId(), t.resource().topic(), t.resource().messageType(), truncate(h.tag(), 1024),
                h.keys(), properties, h.bornTimestamp(), record.timestamp(), h.deliverAt(), truncate(h.bornHost(), 128),
                truncate(h.producerGroup(), 64), body, body.length + headerBytes, Digests.crc32(body));
    }

    private MessageLifecycleEvent published(IndexRow row) {
        MessageLifecycleEventType type = row.deliverAt() != null ? MessageLifecycleEventType.DELAYED
                : MessageLifecycleEventType.PUBLISHED;
        return EventBuilder.of(type, row.msgId())
                .occurredAt(row.storeTimestamp())
                .topic(row.accountId(), row.instanceId(), row.topic(), row.messageType())
                .message(row.tag(), row.keys().isEmpty() ? null : String.join(" ", row.keys()), row.body().length)
                .producer(row.bornHost(), row.producerGroup(), row.bornTimestamp())
                .stored(row.storeTimestamp(), row.partition(), row.offset())
                .deliverAt(row.deliverAt())
                .cost(Math.max(0, row.storeTimestamp() - row.bornTimestamp()))
                .build();
    }

    /** The ONS topic of a Kafka topic, remembering misses for a while (a deleted topic's records are skipped). */
    private Optional<ResourceCatalog.Entry<ResourceEvent.TopicRecord>> topicOf(String kafkaTopic) {
        Long missedAt = unknownTopics.get(kafkaTopic);
        long now = System.currentTimeMillis();
        if (missedAt != null && now - missedAt < UNKNOWN_TOPIC_MEMORY_MILLIS) {
            return Optional.empty();
        }
        Optional<ResourceCatalog.Entry<ResourceEvent.TopicRecord>> found = catalog.topicByKafkaTopic(kafkaTopic);
        if (found.isEmpty()) {
            LOG.debugf("Kafka topic %s belongs to no ONS topic; its records are not indexed", kafkaTopic);
            unknownTopics.put(kafkaTopic, now);
        } else {
            unknownTopics.remove(kafkaTopic);
        }
        return found;
    }

    /** A topic created now may have been remembered as unknown. */
    void onResourceChange(@Observes ResourceEvent event) {
        if (event.topic() != null) {
            unknownTopics.remove(event.topic().kafkaTopic());
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
