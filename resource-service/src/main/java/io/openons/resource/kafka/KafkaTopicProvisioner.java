package io.openons.resource.kafka;

import io.openons.contracts.error.OnsError;
import io.openons.resource.config.OnsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Creates and removes the Kafka topic behind each ONS topic. The Kafka topic of topic {@code T} in instance
 * {@code I} is {@code I.T} (documented in the README for Kafka-native clients).
 */
@ApplicationScoped
public class KafkaTopicProvisioner {

    private static final Logger LOG = Logger.getLogger(KafkaTopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 20;

    private final Admin admin;
    private final OnsConfig config;

    KafkaTopicProvisioner(Admin admin, OnsConfig config) {
        this.admin = admin;
        this.config = config;
    }

    public static String kafkaTopicName(String instanceId, String topic) {
        return instanceId + "." + topic;
    }

    /** Partition count for a topic of this message type: global order lives in one partition. */
    public int partitionsFor(int messageType) {
        return messageType == 2 ? 1 : config.kafka().partitions();
    }

    /**
     * Creates the Kafka topic and waits until the broker confirms it.
     *
     * @return true when this call created it, false when it existed already
     */
    public boolean create(String kafkaTopic, int partitions) {
        NewTopic newTopic = new NewTopic(kafkaTopic, partitions, config.kafka().replicationFactor())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.kafka().retentionMs())));
        try {
            admin.createTopics(List.of(newTopic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.infof("Created Kafka topic %s with %d partition(s)", kafkaTopic, partitions);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw unavailable("cannot create Kafka topic " + kafkaTopic, e.getCause());
        } catch (TimeoutException e) {
            throw unavailable("Kafka did not confirm the creation of topic " + kafkaTopic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while creating Kafka topic " + kafkaTopic, e);
        }
    }

    /** Removes the Kafka topic; a topic that does not exist counts as removed. */
    public void remove(String kafkaTopic) throws Exception {
        try {
            admin.deleteTopics(Set.of(kafkaTopic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.infof("Removed Kafka topic %s", kafkaTopic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
    }

    /** Whether the broker still lists the topic (deletion in Kafka completes asynchronously). */
    public boolean exists(String kafkaTopic) throws Exception {
        return admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(kafkaTopic);
    }

    private static RuntimeException unavailable(String what, Throwable cause) {
        LOG.warnf(cause, "Kafka: %s", what);
        return OnsError.SERVICE_UNAVAILABLE.exception(what + ": " + (cause == null ? "" : cause.getMessage()));
    }
}
