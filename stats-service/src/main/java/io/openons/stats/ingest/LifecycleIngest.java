package io.openons.stats.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.stats.aggregate.BatchStore;
import io.openons.stats.config.StatsConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs this replica's aggregation of {@link EventTopics#MESSAGE_LIFECYCLE}: creates the topic when it is
 * missing, then runs one {@link IngestWorker} on its own thread from start to shutdown.
 */
@ApplicationScoped
public class LifecycleIngest {

    private static final Logger LOG = Logger.getLogger(LifecycleIngest.class);

    private final StatsConfig config;
    private final BatchStore store;
    private final IngestMetrics metrics;
    private final Admin admin;
    private final Map<String, Object> kafkaConfig;
    private final ObjectReader reader;
    private final short replicationFactor;
    private IngestWorker worker;
    private Thread thread;

    LifecycleIngest(StatsConfig config, BatchStore store, IngestMetrics metrics, Admin admin,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ObjectMapper json,
            @ConfigProperty(name = "ons.kafka.replication-factor", defaultValue = "1") short replicationFactor) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.admin = admin;
        this.kafkaConfig = kafkaConfig;
        // Types added to the contract later read as null and count nothing (the contract's forward rule).
        this.reader = json.readerFor(MessageLifecycleEvent.class)
                .with(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.replicationFactor = replicationFactor;
    }

    void onStart(@Observes StartupEvent start) {
        ensureTopic();
        start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        stop();
    }

    /** Starts this replica's aggregation (idempotent). */
    public synchronized void start() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        worker = newWorker(store);
        thread = new Thread(worker, "stats-ingest");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops it after the batch in progress, as a shutdown does. */
    public synchronized void stop() {
        if (worker == null) {
            return;
        }
        worker.stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker = null;
        thread = null;
    }

    /** Whether the aggregation thread is running (liveness). */
    public synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    /** When the running worker last completed a poll (epoch ms), 0 if none. */
    public synchronized long lastPoll() {
        return worker == null ? 0 : worker.lastPoll();
    }

    /** A worker of this service's consumer group writing to {@code target} (tests use it to inject crashes). */
    public IngestWorker newWorker(BatchStore target) {
        Map<String, Object> consumer = new HashMap<>();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, config.ingest().consumerGroup());
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "stats-ingest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only used when a stored position is no longer in the log (retention): take what is left.
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.ingest().maxPollRecords());
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new IngestWorker(EventTopics.MESSAGE_LIFECYCLE, consumer, target, reader, metrics,
                config.ingest().pollTimeout(), config.retention(), Clock.systemUTC());
    }

    /**
     * Creates the lifecycle topic when it is missing (brokers may forbid auto-creation; message-service may
     * start later): keyed by message id, retention = message retention.
     */
    private void ensureTopic() {
        NewTopic topic = new NewTopic(EventTopics.MESSAGE_LIFECYCLE, config.ingest().topicPartitions(),
                replicationFactor).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(config.ingest().topicRetentionMs())));
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created the lifecycle topic %s with %d partitions", EventTopics.MESSAGE_LIFECYCLE,
                    config.ingest().topicPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Lifecycle topic %s not created (the consumer waits for it): %s",
                        EventTopics.MESSAGE_LIFECYCLE, e.getCause().getMessage());
            }
        } catch (Exception e) {
            LOG.warnf("Lifecycle topic %s not created (the consumer waits for it): %s",
                    EventTopics.MESSAGE_LIFECYCLE, e.getMessage());
        }
    }
}
