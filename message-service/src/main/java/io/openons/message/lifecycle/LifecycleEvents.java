package io.openons.message.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.message.config.MessageConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Emits message lifecycle events on {@link EventTopics#MESSAGE_LIFECYCLE}, keyed by message id, for
 * trace-service and stats-service. Sending is asynchronous (the producer batches); a caller only hands the
 * event over. {@link #flush()} waits until everything handed over is on Kafka (the indexer calls it before it
 * commits its Kafka offsets, so an indexed message's events survive a restart).
 */
@ApplicationScoped
public class LifecycleEvents {

    private static final Logger LOG = Logger.getLogger(LifecycleEvents.class);
    /** Partitions of the lifecycle topic: events of one message share a partition (the key), in order. */
    private static final int PARTITIONS = 4;

    private final Producer<String, byte[]> producer;
    private final ObjectMapper json;
    private final Counter emitted;
    private final Counter failed;

    LifecycleEvents(@Named("events") Producer<String, byte[]> producer, ObjectMapper json, MeterRegistry registry) {
        this.producer = producer;
        this.json = json;
        this.emitted = registry.counter("ons_message_lifecycle_events", "outcome", "sent");
        this.failed = registry.counter("ons_message_lifecycle_events", "outcome", "failed");
    }

    void createTopic(@Observes StartupEvent start, Admin admin, MessageConfig config,
            @ConfigProperty(name = "ons.kafka.replication-factor", defaultValue = "1") short replicationFactor) {
        NewTopic topic = new NewTopic(EventTopics.MESSAGE_LIFECYCLE, PARTITIONS, replicationFactor)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.retention().toMillis())));
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created event topic %s", EventTopics.MESSAGE_LIFECYCLE);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Event topic %s not created: %s", EventTopics.MESSAGE_LIFECYCLE, e.getCause().getMessage());
            }
        } catch (Exception e) {
            LOG.warnf("Event topic %s not created: %s", EventTopics.MESSAGE_LIFECYCLE, e.getMessage());
        }
    }

    public void emit(MessageLifecycleEvent event) {
        byte[] value;
        try {
            value = json.writeValueAsBytes(event);
        } catch (Exception e) {
            LOG.warnf("Cannot serialise lifecycle event %s: %s", event.type(), e.getMessage());
            failed.increment();
            return;
        }
        try {
            producer.send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE, event.msgId(), value), (md, error) -> {
                if (error == null) {
                    emitted.increment();
                } else {
                    failed.increment();
                    LOG.warnf("Lifecycle event %s of %s not sent: %s", event.type(), event.msgId(), error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warnf("Lifecycle event %s of %s not sent: %s", event.type(), event.msgId(), e.getMessage());
        }
    }

    public void emitAll(Collection<MessageLifecycleEvent> events) {
        events.forEach(this::emit);
    }

    /** Waits until every event handed over so far is acknowledged by Kafka (or failed). */
    public void flush() {
        producer.flush();
    }
}
