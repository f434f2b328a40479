package io.openons.stats;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.event.ResourceEventType;
import io.openons.contracts.operation.InternalHeaders;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the tests need from the other services, done as those services do it: resource events as
 * resource-service publishes them (so the resource catalog knows the instances, topics and groups), lifecycle
 * events as message-service publishes them (the contract record as JSON, keyed by message id), and calls of the
 * internal operation API as the gateway makes them.
 */
final class Traffic {

    static final String REGION = "cn-hangzhou";
    static final long MINUTE = 60_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong ACCOUNTS = new AtomicLong(System.currentTimeMillis() % 1_000_000L * 1000);
    private static KafkaProducer<String, String> producer;

    private Traffic() {
    }

    static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    static String newAccount() {
        return Long.toString(1_000_000_000_000_000L + ACCOUNTS.incrementAndGet());
    }

    /** An account's instance with topics and groups, created (for the catalog) long enough ago for any test. */
    record Setup(String account, String instance, long createdAt) {

        static Setup create(List<String> topics, List<String> groups) {
            String account = newAccount();
            String instance = "MQ_INST_" + account + "_" + UUID.randomUUID().toString().substring(0, 8);
            long created = System.currentTimeMillis() - 4L * 24 * 3600 * 1000;
            send(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.INSTANCE_CREATED, account,
                    created, new ResourceEvent.InstanceRecord(instance, REGION, "stats-test", null, 1, 5, created,
                            created), null, null));
            for (String t : topics) {
                send(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.TOPIC_CREATED, account,
                        created, null, new ResourceEvent.TopicRecord(instance, t, 0, 6, null, instance + "." + t, 4,
                                created, created), null));
            }
            for (String g : groups) {
                send(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.GROUP_CREATED, account,
                        created, null, null, new ResourceEvent.GroupRecord(instance, g, "http", true, null, created,
                                created)));
            }
            producer().flush();
            return new Setup(account, instance, created);
        }

        /** Deletes a topic and creates it again under the same name, as resource-service reports it. */
        void recreateTopic(String topic) {
            long now = System.currentTimeMillis();
            ResourceEvent.TopicRecord old = new ResourceEvent.TopicRecord(instance, topic, 0, 6, null,
                    instance + "." + topic, 4, createdAt, createdAt);
            send(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.TOPIC_DELETED, account, now,
                    null, old, null));
            send(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.TOPIC_CREATED, account, now,
                    null, new ResourceEvent.TopicRecord(instance, topic, 0, 6, null, instance + "." + topic, 4, now,
                            now), null));
        }

        /** Deletes a Group ID, as resource-service reports it. */
        void deleteGroup(String group) {
            send(new ResourceEvent(1, UUID.randomUUID().toString(), ResourceEventType.GROUP_DELETED, account,
                    System.currentTimeMillis(), null, null, new ResourceEvent.GroupRecord(instance, group, "http",
                            true, null, createdAt, createdAt)));
        }

        private static void send(ResourceEvent event) {
            try {
                producer().send(new ProducerRecord<>(EventTopics.RESOURCE_EVENTS, event.key(),
                        JSON.writeValueAsString(event))).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A message of {@code topic} stored at {@code storeTime}. */
        MessageLifecycleEvent published(String topic, long storeTime) {
            return event(MessageLifecycleEventType.PUBLISHED, topic, newMsgId(), storeTime, storeTime, null);
        }

        /** A consumer of {@code group} acknowledging a message of {@code topic} at {@code time}. */
        MessageLifecycleEvent acked(String group, String topic, long time) {
            return event(MessageLifecycleEventType.ACKED, topic, newMsgId(), time, time - 1500, group);
        }

        MessageLifecycleEvent event(MessageLifecycleEventType type, String topic, String msgId, long occurredAt,
                Long storeTimestamp, String group) {
            return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type,
                    occurredAt, account, instance, topic, msgId, 0, "TagA", "k1", "127.0.0.1:50000", null,
                    storeTimestamp, storeTimestamp, null, 0, 0L, 128, 3L, group,
                    group == null ? null : "client-1", group == null ? null : "127.0.0.1:50001",
                    group == null ? null : 0, group == null ? null : occurredAt - 10, null);
        }
    }

    static String newMsgId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }

    /** Publishes lifecycle events as message-service does (keyed by message id); returns once Kafka has them. */
    static void publish(List<MessageLifecycleEvent> events) {
        publish(null, events);
    }

    /**
     * Publishes events all under one record key, so that they are read in this order: once the last one is
     * counted, every one before it has been read.
     */
    static void publishInOrder(String key, List<MessageLifecycleEvent> events) {
        publish(key, events);
    }

    private static void publish(String key, List<MessageLifecycleEvent> events) {
        try {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (MessageLifecycleEvent e : events) {
                sent.add(producer().send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE,
                        key != null ? key : e.msgId(), JSON.writeValueAsString(e))));
            }
            for (var f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void publish(MessageLifecycleEvent... events) {
        publish(List.of(events));
    }

    /** One event into a chosen partition of the lifecycle topic. */
    static void publishToPartition(int partition, MessageLifecycleEvent event) {
        try {
            producer().send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE, partition, event.msgId(),
                    JSON.writeValueAsString(event))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw record on the lifecycle topic (for unreadable or foreign payloads). */
    static void publishRaw(String key, String value) {
        try {
            producer().send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON of a 200 answer, decimals as doubles (RestAssured reads them as floats by default). */
    static io.restassured.path.json.JsonPath json(ValidatableResponse response) {
        return new io.restassured.path.json.JsonPath(response.extract().asString()).using(
                new io.restassured.path.json.config.JsonPathConfig(
                        io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
    }

    /** Calls an operation the way the gateway does. */
    static ValidatableResponse call(String account, String action, Map<String, ?> params) {
        return given()
                .header(InternalHeaders.ACCOUNT_ID, account)
                .header(InternalHeaders.REGION_ID, REGION)
                .header(InternalHeaders.REQUEST_ID, "test-" + action)
                .contentType(ContentType.JSON)
                .body(params)
                .when().post("/internal/v1/operations/" + action)
                .then();
    }

    /** Polls until {@code check} holds (the aggregation is asynchronous); 60 s allow for a busy shared machine. */
    static <T> T await(String what, Supplier<T> value, java.util.function.Predicate<T> check) {
        long deadline = System.currentTimeMillis() + 60_000;
        T last = value.get();
        while (!check.test(last)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Timed out waiting for " + what + "; last value: " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = value.get();
        }
        return last;
    }
}
