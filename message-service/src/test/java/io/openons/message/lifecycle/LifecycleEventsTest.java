package io.openons.message.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.contracts.messaging.AckMode;
import io.openons.contracts.messaging.ConsumeMode;
import io.openons.contracts.messaging.ConsumedMessage;
import io.openons.contracts.messaging.PublishReceipt;
import io.openons.message.support.Api;
import io.openons.message.support.Flow;
import io.openons.message.support.TestResources;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Every step of a message's life is on the lifecycle topic, keyed by message id, with what trace needs. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class LifecycleEventsTest {

    private static final String ACCOUNT = "1000000000000404";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void publishDeliveryRedeliveryAndAckAreEmitted() throws Exception {
        String instance = TestResources.newInstance(ACCOUNT);
        String topic = TestResources.unique("ev");
        TestResources.newTopic(ACCOUNT, instance, topic, 0, 6);
        String group = "GID_" + TestResources.unique("ev");
        TestResources.newGroup(ACCOUNT, instance, group, "http", true);
        Api.groupSettings(ACCOUNT, instance, group, Map.of("invisibleTimeMillis", 1000)).then().statusCode(200);
        Flow flow = new Flow(ACCOUNT, instance, topic);
        PublishReceipt sent = flow.publish("evt", "TagE", Map.of("KEYS", "ek"));
        ConsumedMessage first = flow.consumeAll(group, 1, null, ConsumeMode.NORMAL, 15_000).get(0);
        Thread.sleep(1_100);
        ConsumedMessage second = flow.consume(group, 1, 5, null, ConsumeMode.NORMAL).get(0);
        flow.ack(group, List.of(second.receiptHandle()), AckMode.ACK);
        assertEquals(sent.msgId(), first.msgId());

        List<MessageLifecycleEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                TestResources.bootstrap(), "group.id", UUID.randomUUID().toString(), "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class, "value.deserializer", StringDeserializer.class))) {
            consumer.subscribe(List.of(EventTopics.MESSAGE_LIFECYCLE));
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline && events.stream()
                    .noneMatch(e -> e.type() == MessageLifecycleEventType.ACKED)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (sent.msgId().equals(r.key())) {
                        events.add(JSON.readValue(r.value(), MessageLifecycleEvent.class));
                    }
                }
            }
        }
        List<MessageLifecycleEventType> types = events.stream().map(MessageLifecycleEvent::type).distinct().toList();
        assertTrue(types.containsAll(List.of(MessageLifecycleEventType.PUBLISHED, MessageLifecycleEventType.DELIVERED,
                MessageLifecycleEventType.CONSUME_FAILED, MessageLifecycleEventType.ACKED)), types.toString());
        MessageLifecycleEvent published = events.stream()
                .filter(e -> e.type() == MessageLifecycleEventType.PUBLISHED).findFirst().orElseThrow();
        assertEquals(ACCOUNT, published.accountId());
        assertEquals(instance, published.instanceId());
        assertEquals(topic, published.topic());
        assertEquals("TagE", published.tag());
        assertEquals("ek", published.keys());
        assertEquals("127.0.0.1:1234", published.bornHost());
        assertEquals(sent.offset(), published.offset());
        MessageLifecycleEvent failed = events.stream()
                .filter(e -> e.type() == MessageLifecycleEventType.CONSUME_FAILED).findFirst().orElseThrow();
        assertEquals(group, failed.groupId());
        assertEquals(0, failed.reconsumeTimes());
        MessageLifecycleEvent acked = events.stream()
                .filter(e -> e.type() == MessageLifecycleEventType.ACKED).findFirst().orElseThrow();
        assertEquals(1, acked.reconsumeTimes(), "acked on the second delivery");
        assertEquals(2, events.stream().filter(e -> e.type() == MessageLifecycleEventType.DELIVERED)
                .map(MessageLifecycleEvent::eventId).distinct().count());
    }
}
