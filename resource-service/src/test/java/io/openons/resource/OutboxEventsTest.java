package io.openons.resource;

import static io.openons.resource.InternalApiClient.call;
import static io.openons.resource.InternalApiClient.createInstance;
import static io.openons.resource.InternalApiClient.newAccount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.event.ResourceEventType;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class OutboxEventsTest {

    @Inject
    ObjectMapper json;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Test
    void publishesEachCommittedChangeWithTheFullResourceAndNothingForRefusedOnes() throws Exception {
        String account = newAccount();
        String instance = createInstance(account, "evented");
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "evt", "MessageType", 5))
                .statusCode(204);
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "evt", "MessageType", 5))
                .statusCode(409);
        call(account, "OnsGroupCreate", Map.of("InstanceId", instance, "GroupId", "GID_ev")).statusCode(204);
        call(account, "OnsGroupConsumerUpdate", Map.of("InstanceId", instance, "GroupId", "GID_ev",
                "ReadEnable", false)).statusCode(204);
        call(account, "OnsTopicDelete", Map.of("InstanceId", instance, "Topic", "evt")).statusCode(204);

        List<ResourceEvent> events = readEventsOf(account, 5);
        assertEquals(List.of(ResourceEventType.INSTANCE_CREATED, ResourceEventType.TOPIC_CREATED,
                ResourceEventType.GROUP_CREATED, ResourceEventType.GROUP_UPDATED, ResourceEventType.TOPIC_DELETED),
                events.stream().map(ResourceEvent::type).toList());
        ResourceEvent topicCreated = events.get(1);
        assertEquals(ResourceEvent.SCHEMA_VERSION, topicCreated.schemaVersion());
        assertEquals(5, topicCreated.topic().messageType());
        assertEquals(instance + ".evt", topicCreated.topic().kafkaTopic());
        assertEquals(6, topicCreated.topic().perm());
        assertEquals(false, events.get(3).group().readEnable());
        assertTrue(events.stream().allMatch(e -> instance.equals(e.instanceId())));
    }

    private List<ResourceEvent> readEventsOf(String account, int expected) throws Exception {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ResourceEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(EventTopics.RESOURCE_EVENTS));
            long deadline = System.currentTimeMillis() + 20_000;
            while (events.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    ResourceEvent event = json.readValue(record.value(), ResourceEvent.class);
                    if (account.equals(event.accountId())) {
                        events.add(event);
                    }
                }
            }
        }
        return events;
    }
}
