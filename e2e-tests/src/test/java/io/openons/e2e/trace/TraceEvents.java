package io.openons.e2e.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.e2e.Suite;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes message lifecycle events on the suite's Kafka exactly as message-service does (the contract record
 * written by Jackson, keyed by message id): the trace Actions can be checked through the gateway before, and
 * independently of, the messaging data plane. Also used by the trace benchmark.
 */
public final class TraceEvents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KafkaProducer<String, byte[]> producer;

    public TraceEvents(Suite suite) {
        this(suite.kafkaBootstrap(), Map.of());
    }

    public TraceEvents(String bootstrap, Map<String, Object> tuning) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        config.putAll(tuning);
        this.producer = new KafkaProducer<>(config);
    }

    public static String newMsgId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    /** Sends without waiting (benchmarks); {@link #flush()} waits for everything sent. */
    public Future<RecordMetadata> sendAsync(MessageLifecycleEvent event) {
        try {
            return producer.send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE, event.msgId(),
                    JSON.writeValueAsBytes(event)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void send(MessageLifecycleEvent... events) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (MessageLifecycleEvent e : events) {
            sends.add(sendAsync(e));
        }
        try {
            for (Future<RecordMetadata> f : sends) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not take the events", e);
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    /** The events of one message, filled as message-service fills them. */
    public static final class Message {
        private final String accountId;
        private final String instanceId;
        private final String topic;
        private final String msgId = newMsgId();
        private final int messageType;
        private final String keys;
        private long bornTimestamp;

        public Message(String accountId, String instanceId, String topic, int messageType, String keys) {
            this.accountId = accountId;
            this.instanceId = instanceId;
            this.topic = topic;
            this.messageType = messageType;
            this.keys = keys;
        }

        public String msgId() {
            return msgId;
        }

        /** A publication at {@code at} that took 3 ms (PubTime = at - 3), from producer 10.0.0.8:51000. */
        public MessageLifecycleEvent publish(MessageLifecycleEventType type, long at, String producerGroup) {
            bornTimestamp = at - 3;
            return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type,
                    at, accountId, instanceId, topic, msgId, messageType, "TagA", keys, "10.0.0.8:51000",
                    producerGroup, bornTimestamp, at, null, 0, 7L, 64, 3L, null, null, null, null, null, null);
        }

        public MessageLifecycleEvent delayed(long at, long deliverAt) {
            bornTimestamp = at - 3;
            return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, UUID.randomUUID().toString(),
                    MessageLifecycleEventType.DELAYED, at, accountId, instanceId, topic, msgId, messageType, "TagA",
                    keys, "10.0.0.8:51000", null, bornTimestamp, at, deliverAt, 0, 7L, 64, 3L, null, null, null, null,
                    null, null);
        }

        public MessageLifecycleEvent plain(MessageLifecycleEventType type, long at) {
            return consume(type, at, null, null, null, null, null);
        }

        public MessageLifecycleEvent delivered(String group, String client, int reconsumeTimes, long at) {
            return consume(MessageLifecycleEventType.DELIVERED, at, group, client, reconsumeTimes, null, null);
        }

        public MessageLifecycleEvent acked(String group, String client, int reconsumeTimes, long deliveredAt,
                long at) {
            return consume(MessageLifecycleEventType.ACKED, at, group, client, reconsumeTimes, deliveredAt,
                    at - deliveredAt);
        }

        public MessageLifecycleEvent failed(String group, String client, int reconsumeTimes, long deliveredAt,
                long at) {
            return consume(MessageLifecycleEventType.CONSUME_FAILED, at, group, client, reconsumeTimes, deliveredAt,
                    at - deliveredAt);
        }

        private MessageLifecycleEvent consume(MessageLifecycleEventType type, long at, String group, String client,
                Integer reconsumeTimes, Long deliveredAt, Long cost) {
            return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type,
                    at, accountId, instanceId, topic, msgId, messageType, "TagA", keys, null, null,
                    bornTimestamp == 0 ? null : bornTimestamp, null, null, 0, 7L, 64, cost, group, client,
                    client == null ? null : "10.0.1." + Math.abs(client.hashCode() % 200) + ":7001", reconsumeTimes,
                    deliveredAt, null);
        }
    }
}
