package io.openons.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.ResourceEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Publishes events to the test Kafka exactly as their producers do: lifecycle events as message-service will (the
 * contract record written by Jackson, keyed by message id) and resource events as resource-service does.
 */
public final class TestKafka {

    /** Plain Jackson, as a producer that knows nothing of trace-service writes the contract record. */
    static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, byte[]> producer;

    private TestKafka() {
    }

    public static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        }
        return producer;
    }

    public static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** Publishes lifecycle events in this order and waits until Kafka has them all. */
    public static void lifecycle(MessageLifecycleEvent... events) {
        lifecycle(List.of(events));
    }

    public static void lifecycle(List<MessageLifecycleEvent> events) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (MessageLifecycleEvent e : events) {
            try {
                sends.add(producer().send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE, e.msgId(),
                        JSON.writeValueAsBytes(e))));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        await(sends);
    }

    /** Publishes a raw record on the lifecycle topic (for events this version cannot read). */
    public static void raw(String key, String value) {
        await(List.of(producer().send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE, key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8)))));
    }

    public static void resource(ResourceEvent event) {
        try {
            await(List.of(producer().send(new ProducerRecord<>(EventTopics.RESOURCE_EVENTS, event.key(),
                    JSON.writeValueAsBytes(event)))));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void await(List<Future<RecordMetadata>> sends) {
        try {
            for (Future<RecordMetadata> f : sends) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not take the events", e);
        }
    }
}
