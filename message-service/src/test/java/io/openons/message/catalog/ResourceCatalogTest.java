package io.openons.message.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.OnsException;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.event.ResourceEventType;
import io.openons.service.catalog.ResourceCatalog;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replica of resource metadata follows the resource events and authorises lookups by account. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class ResourceCatalogTest {

    @Inject
    ResourceCatalog catalog;

    @Inject
    ObjectMapper json;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @BeforeAll
    static void eventTopic() {
        // resource-service creates this topic in production; here the test plays resource-service.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", io.openons.testsupport.Infrastructure.start()
                .kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(EventTopics.RESOURCE_EVENTS, 1, (short) 1))).all()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception alreadyThere) {
            // created by an earlier test class
        }
    }

    private void publish(ResourceEvent event) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.get("bootstrap.servers"),
                "key.serializer", StringSerializer.class, "value.serializer", StringSerializer.class))) {
            producer.send(new ProducerRecord<>(EventTopics.RESOURCE_EVENTS, event.key(), json.writeValueAsString(event)))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private static ResourceEvent event(ResourceEventType type, String account, ResourceEvent.InstanceRecord i,
            ResourceEvent.TopicRecord t) {
        return new ResourceEvent(1, UUID.randomUUID().toString(), type, account, System.currentTimeMillis(), i, t,
                null);
    }

    @Test
    void resolvesResourcesPublishedAMomentAgoAndForgetsDeletedOnes() throws Exception {
        String account = "1000000000000777";
        String instance = "MQ_INST_" + account + "_catalog" + System.nanoTime() % 1000;
        var inst = new ResourceEvent.InstanceRecord(instance, "cn-hangzhou", "cat", null, 1, 5, 1L, 1L);
        var topic = new ResourceEvent.TopicRecord(instance, "orders", 0, 6, null, instance + ".orders", 4, 2L, 2L);
        publish(event(ResourceEventType.INSTANCE_CREATED, account, inst, null));
        publish(event(ResourceEventType.TOPIC_CREATED, account, null, topic));

        assertEquals(instance + ".orders", catalog.requireTopic(account, "cn-hangzhou", instance, "orders").kafkaTopic());
        assertEquals(List.of(topic), catalog.topicsOf(instance));
        assertTrue(catalog.caughtUp());

        OnsException foreign = assertThrows(OnsException.class,
                () -> catalog.requireTopic("1000000000000888", "cn-hangzhou", instance, "orders"));
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", foreign.code());
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", assertThrows(OnsException.class,
                () -> catalog.requireInstance(account, "cn-shanghai", instance)).code());
        assertEquals("BIZ_TOPIC_NOT_FOUND", assertThrows(OnsException.class,
                () -> catalog.requireTopic(account, null, instance, "payments")).code());

        publish(event(ResourceEventType.TOPIC_DELETED, account, null, topic));
        // A deletion reaches the replica when its follower reads the event (it polls): wait for it, boundedly.
        long deadline = System.currentTimeMillis() + 5_000;
        while (catalog.topic(instance, "orders").isPresent() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("BIZ_TOPIC_NOT_FOUND", assertThrows(OnsException.class,
                () -> catalog.requireTopic(account, null, instance, "orders")).code());
    }
}
