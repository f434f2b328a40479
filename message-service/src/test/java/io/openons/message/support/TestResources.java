package io.openons.message.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.event.ResourceEventType;
import io.openons.testsupport.Infrastructure;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays resource-service for message-service tests: creates the Kafka topic of an ONS topic and publishes the
 * resource events (instance, topic, group) the service's catalog follows.
 */
public final class TestResources {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestResources() {
    }

    public static String bootstrap() {
        return Infrastructure.start().kafkaBootstrapServers();
    }

    public static String unique(String prefix) {
        return prefix + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + COUNTER.incrementAndGet();
    }

    public static String newInstance(String accountId) {
        ensureEventTopic();
        String instanceId = "MQ_INST_" + accountId + "_" + unique("t");
        publish(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.INSTANCE_CREATED, accountId,
                System.currentTimeMillis(), new ResourceEvent.InstanceRecord(instanceId, "cn-hangzhou", "test", null,
                        1, 5, System.currentTimeMillis(), System.currentTimeMillis()), null, null));
        return instanceId;
    }

    public static ResourceEvent.TopicRecord newTopic(String accountId, String instanceId, String topic,
            int messageType, int perm) {
        int partitions = messageType == 2 ? 1 : 4;
        String kafkaTopic = instanceId + "." + topic;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(kafkaTopic, partitions, (short) 1))).all().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        long now = System.currentTimeMillis();
        ResourceEvent.TopicRecord record = new ResourceEvent.TopicRecord(instanceId, topic, messageType, perm, null,
                kafkaTopic, partitions, now, now);
        publish(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.TOPIC_CREATED, accountId, now,
                null, record, null));
        return record;
    }

    public static ResourceEvent.TopicRecord updateTopic(String accountId, ResourceEvent.TopicRecord topic, int perm) {
        long now = System.currentTimeMillis();
        ResourceEvent.TopicRecord record = new ResourceEvent.TopicRecord(topic.instanceId(), topic.topic(),
                topic.messageType(), perm, null, topic.kafkaTopic(), topic.partitions(), topic.createTime(), now);
        publish(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.TOPIC_UPDATED, accountId, now,
                null, record, null));
        return record;
    }

    public static ResourceEvent.GroupRecord newGroup(String accountId, String instanceId, String groupId,
            String type, boolean readEnable) {
        long now = System.currentTimeMillis();
        ResourceEvent.GroupRecord record = new ResourceEvent.GroupRecord(instanceId, groupId, type, readEnable, null,
                now, now);
        publish(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.GROUP_CREATED, accountId, now,
                null, null, record));
        return record;
    }

    public static void deleteGroup(String accountId, ResourceEvent.GroupRecord group) {
        publish(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.GROUP_DELETED, accountId,
                System.currentTimeMillis(), null, null, group));
    }

    private static void ensureEventTopic() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(EventTopics.RESOURCE_EVENTS, 1, (short) 1))).all()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception alreadyThere) {
            // created by an earlier test or by the service
        }
    }

    private static void publish(ResourceEvent event) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap(),
                "key.serializer", StringSerializer.class, "value.serializer", StringSerializer.class))) {
            producer.send(new ProducerRecord<>(EventTopics.RESOURCE_EVENTS, event.key(), JSON.writeValueAsString(event)))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
