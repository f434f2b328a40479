package io.openons.trace.ingest;

import io.openons.contracts.event.EventTopics;
import io.openons.trace.config.TraceConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates {@link EventTopics#MESSAGE_LIFECYCLE} when it does not exist yet (brokers may forbid auto-creation, and
 * trace-service may start before message-service): {@code ons.trace.lifecycle-topic.partitions} partitions (4),
 * delete policy with the message retention, the definition message-service uses as well. An existing topic is
 * left as it is.
 */
@ApplicationScoped
public class LifecycleTopic {

    private static final Logger LOG = Logger.getLogger(LifecycleTopic.class);

    private final TraceConfig config;
    private final Map<String, Object> kafkaConfig;

    LifecycleTopic(TraceConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
    }

    /** The topic as it is created when missing. */
    public NewTopic definition() {
        return new NewTopic(EventTopics.MESSAGE_LIFECYCLE, config.lifecycleTopic().partitions(),
                config.lifecycleTopic().replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.retention().toMillis())));
    }

    /** True when the topic exists (now or already); false when Kafka could not be asked. */
    public boolean ensure(Duration timeout) {
        Map<String, Object> admin = new HashMap<>();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "trace-service-admin");
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(definition())).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("Created the lifecycle event topic %s (%d partitions, retention %s)",
                    EventTopics.MESSAGE_LIFECYCLE, config.lifecycleTopic().partitions(), config.retention());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return true;
            }
            LOG.warnf("Lifecycle event topic not created yet: %s", e.getCause().getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("Lifecycle event topic not created yet: %s", e.getMessage());
            return false;
        }
    }
}
