package io.openons.stats.ingest;

import com.fasterxml.jackson.databind.ObjectReader;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.stats.aggregate.Batch;
import io.openons.stats.aggregate.BatchStore;
import io.openons.stats.aggregate.CountedEvent;
import io.openons.stats.aggregate.Counting;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The aggregation loop of one replica: polls the lifecycle topic as a member of the shared consumer group,
 * turns each poll into one {@link Batch} and applies it with its end offsets in one transaction
 * ({@link BatchStore}). Positions come from the store, never from Kafka's committed offsets (those are
 * committed afterwards for tooling only): after a crash, a restart or a rebalance, reading resumes exactly
 * after the last batch that was counted.
 */
public final class IngestWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(IngestWorker.class);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final BatchStore store;
    private final ObjectReader reader;
    private final IngestMetrics metrics;
    private final Duration pollTimeout;
    private final Duration retention;
    private final Clock clock;
    /** The stored next offset of each partition this replica owns; touched by the worker thread only. */
    private final Map<Integer, Long> positions = new HashMap<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile long lastPoll;

    public IngestWorker(String topic, Map<String, Object> consumerConfig, BatchStore store, ObjectReader reader,
            IngestMetrics metrics, Duration pollTimeout, Duration retention, Clock clock) {
        this.topic = topic;
        this.consumerConfig = consumerConfig;
        this.store = store;
        this.reader = reader;
        this.metrics = metrics;
        this.pollTimeout = pollTimeout;
        this.retention = retention;
        this.clock = clock;
    }

    /** Asks the loop to stop after the batch in progress (which is committed or rolled back as a whole). */
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** When the loop last completed a poll (epoch ms), 0 before the first. */
    public long lastPoll() {
        return lastPoll;
    }

    @Override
    public void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig)) {
                consumer = c;
                positions.clear();
                c.subscribe(List.of(topic), new StoredPositions(c));
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(pollTimeout);
                    lastPoll = clock.millis();
                    if (!records.isEmpty()) {
                        process(c, records);
                    }
                    metrics.lag(lag(c));
                }
            } catch (WakeupException e) {
                // stop() was called
            } catch (RuntimeException e) {
                // Kafka or the store failed outside a batch (e.g. reading positions at assignment): start over
                // with a new consumer, which rejoins the group and reads its positions again.
                LOG.warnf("Aggregation interrupted, restarting in 1 s: %s", e.toString());
                pause(1000);
            } finally {
                consumer = null;
            }
        }
    }

    private void process(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        long started = System.nanoTime();
        long now = clock.millis();
        long horizon = now - retention.toMillis();
        Batch batch = new Batch(topic);
        int late = 0;
        long newest = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            MessageLifecycleEvent event = decode(r);
            CountedEvent counted = Counting.classify(event);
            if (counted != null && counted.bucketStart() < horizon) {
                late++; // its period is past the retention: it would be deleted at once
                counted = null;
            }
            // A clock running ahead somewhere must not push the partition's progress (and so the dedupe
            // clean-up) into the future.
            long eventTime = event == null ? 0 : Math.min(event.occurredAt(), now);
            newest = Math.max(newest, eventTime);
            batch.add(r.partition(), r.offset(), eventTime, counted);
        }
        try {
            BatchStore.ApplyResult result = store.apply(batch, positions);
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (Batch.PartitionProgress p : batch.progress()) {
                positions.put(p.partition(), p.nextOffset());
                commit.put(new TopicPartition(topic, p.partition()), new OffsetAndMetadata(p.nextOffset()));
            }
            metrics.applied(result.counted(), result.duplicates(), batch.ignored() - late, late,
                    System.nanoTime() - started);
            metrics.eventTime(newest);
            // For kafka-consumer-groups and lag dashboards only; positions are read from the store.
            c.commitAsync(commit, null);
        } catch (BatchStore.OffsetConflictException e) {
            LOG.infof("Dropping a batch: %s; re-reading positions", e.getMessage());
            metrics.replayed();
            rewind(c);
        } catch (SQLException e) {
            LOG.warnf("Counting a batch failed (%s); it will be read again", e.getMessage());
            metrics.replayed();
            pause(500);
            rewind(c);
        }
    }

    private MessageLifecycleEvent decode(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return reader.readValue(r.value());
        } catch (Exception e) {
            LOG.debugf("Unreadable lifecycle event at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return null;
        }
    }

    /** Seeks every owned partition back to its stored position (the records polled since are dropped). */
    private void rewind(KafkaConsumer<byte[], byte[]> c) {
        List<Integer> owned = new ArrayList<>();
        c.assignment().forEach(tp -> owned.add(tp.partition()));
        seekToStored(c, owned);
    }

    private void seekToStored(KafkaConsumer<byte[], byte[]> c, Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> stored;
        try {
            stored = store.offsets(topic, partitions);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the stored positions: " + e.getMessage(), e);
        }
        for (int p : partitions) {
            long offset = stored.getOrDefault(p, BatchStore.FROM_BEGINNING);
            TopicPartition tp = new TopicPartition(topic, p);
            if (offset == BatchStore.FROM_BEGINNING) {
                c.seekToBeginning(List.of(tp));
            } else {
                c.seek(tp, offset);
            }
            positions.put(p, offset);
        }
    }

    private long lag(KafkaConsumer<byte[], byte[]> c) {
        long total = 0;
        for (TopicPartition tp : c.assignment()) {
            OptionalLong l = c.currentLag(tp);
            if (l.isPresent()) {
                total += l.getAsLong();
            }
        }
        return total;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Positions of newly owned partitions come from the store, where the counts are. */
    private final class StoredPositions implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;

        StoredPositions(KafkaConsumer<byte[], byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            List<Integer> numbers = new ArrayList<>();
            partitions.forEach(tp -> numbers.add(tp.partition()));
            seekToStored(c, numbers);
            LOG.infof("Aggregating %s partitions %s from stored offsets %s", topic, numbers, positions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> positions.remove(tp.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
