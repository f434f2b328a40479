package io.openons.message.transaction;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.contracts.messaging.AckResult;
import io.openons.contracts.messaging.ConsumedMessage;
import io.openons.contracts.messaging.PublishReceipt;
import io.openons.message.access.MessagingAccess;
import io.openons.message.config.MessageConfig;
import io.openons.message.consume.ReceiptHandles;
import io.openons.message.jdbc.Jdbc;
import io.openons.message.kafka.MessageHeaders;
import io.openons.message.lifecycle.EventBuilder;
import io.openons.message.lifecycle.LifecycleEvents;
import io.openons.message.model.Digests;
import io.openons.message.model.MessageIds;
import io.openons.message.model.MessageProperties;
import io.openons.message.publish.MessageRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Transactional half messages (mq-http-protocol §8). A half message is stored durably in PostgreSQL, outside
 * the topic's Kafka topic, so no consumer can see it. Commit writes it into the Kafka topic with its original id
 * and only then marks it committed (under the row's lock): a crash in between leaves it pending, a later commit
 * writes it again with the same id, and the index keeps one copy. Rollback marks it rolled back; it is never
 * delivered. Undecided ones are offered to the producer group for checking after their immunity time, then
 * every check interval, for at most the check period, after which they are discarded.
 */
@ApplicationScoped
public class HalfMessageService {

    private static final Logger LOG = Logger.getLogger(HalfMessageService.class);
    private static final TypeReference<LinkedHashMap<String, String>> PROPERTIES = new TypeReference<>() {
    };
    static final String PENDING = "PENDING";
    static final String COMMITTED = "COMMITTED";
    static final String ROLLED_BACK = "ROLLED_BACK";

    private final Jdbc jdbc;
    private final Producer<String, byte[]> producer;
    private final LifecycleEvents events;
    private final ObjectMapper json;
    private final MessageConfig config;

    HalfMessageService(Jdbc jdbc, @Named("messages") Producer<String, byte[]> producer, LifecycleEvents events,
            ObjectMapper json, MessageConfig config) {
        this.jdbc = jdbc;
        this.producer = producer;
        this.events = events;
        this.json = json;
        this.config = config;
    }

    /** Stores a half message; its receipt carries the publish handle, valid until the immunity time ends. */
    public PublishReceipt store(MessagingAccess.TopicAccess topic, MessageRules.Checked message, String bornHost,
            String producerGroup, long now) {
        String msgId = MessageIds.next();
        String handle = ReceiptHandles.next(msgId);
        long immunityEnds = now + message.checkImmunitySeconds() * 1000L;
        String properties = write(message.properties());
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO half_message (msg_id, account_id, "
                    + "instance_id, topic, kafka_topic, tag, properties, body, born_host, born_timestamp, "
                    + "store_timestamp, state, handle, handle_expires_at, next_check_at, checked_times) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)")) {
                ps.setString(1, msgId);
                ps.setString(2, topic.accountId());
                ps.setString(3, topic.instanceId());
                ps.setString(4, topic.topic().topic());
                ps.setString(5, topic.kafkaTopic());
                ps.setString(6, message.tag());
                ps.setString(7, properties);
                ps.setBytes(8, message.body());
                ps.setString(9, bornHost);
                ps.setLong(10, now);
                ps.setLong(11, now);
                ps.setString(12, PENDING);
                ps.setString(13, handle);
                ps.setLong(14, immunityEnds);
                ps.setLong(15, immunityEnds);
                ps.executeUpdate();
            }
            return null;
        });
        events.emit(EventBuilder.of(MessageLifecycleEventType.HALF_PUBLISHED, msgId)
                .topic(topic.accountId(), topic.instanceId(), topic.topic().topic(), topic.topic().messageType())
                .message(message.tag(), message.properties().get(MessageProperties.KEYS), message.body().length)
                .producer(bornHost, producerGroup, now).stored(now, null, null).build());
        return new PublishReceipt(msgId, Digests.md5Hex(message.body()), handle, topic.instanceId(), -1, -1, null, now);
    }

    /** Commits (true) or rolls back (false) half messages by their current handle; answers the failures. */
    public List<AckResult.Failure> resolve(MessagingAccess.TopicAccess topic, String producerGroup,
            List<String> handles, boolean commit) {
        List<AckResult.Failure> failures = new ArrayList<>();
        for (String handle : handles) {
            String msgId = ReceiptHandles.msgIdOf(handle);
            boolean done = msgId != null && (commit ? commit(topic, producerGroup, msgId, handle)
                    : rollback(topic, producerGroup, msgId, handle));
            if (!done) {
                failures.add(new AckResult.Failure(handle, OnsError.MQ_RECEIPT_HANDLE_ERROR.code(),
                        OnsError.MQ_RECEIPT_HANDLE_ERROR.messageTemplate()));
            }
        }
        return failures;
    }

    private boolean commit(MessagingAccess.TopicAccess topic, String producerGroup, String msgId, String handle) {
        long now = System.currentTimeMillis();
        RecordMetadata stored = jdbc.inTransaction(c -> {
            Half half;
            try (PreparedStatement ps = c.prepareStatement("SELECT tag, properties, body, born_host, born_timestamp, "
                    + "state, handle, handle_expires_at FROM half_message WHERE msg_id = ? AND kafka_topic = ? "
                    + "FOR UPDATE")) {
                ps.setString(1, msgId);
                ps.setString(2, topic.kafkaTopic());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    half = new Half(rs.getString(1), read(rs.getString(2)), rs.getBytes(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6), rs.getString(7), rs.getLong(8));
                }
            }
            if (!PENDING.equals(half.state) || !half.handle.equals(handle) || half.handleExpiresAt <= now) {
                return null;
            }
            // Into the topic log first, then the state: a crash between the two leaves it pending (re-committable).
            RecordMetadata metadata = send(topic.kafkaTopic(), msgId, half, producerGroup);
            try (PreparedStatement ps = c.prepareStatement("UPDATE half_message SET state = ?, resolved_at = ? "
                    + "WHERE msg_id = ?")) {
                ps.setString(1, COMMITTED);
                ps.setLong(2, now);
                ps.setString(3, msgId);
                ps.executeUpdate();
            }
            return metadata;
        });
        if (stored == null) {
            return false;
        }
        events.emit(EventBuilder.of(MessageLifecycleEventType.COMMITTED, msgId)
                .topic(topic.accountId(), topic.instanceId(), topic.topic().topic(), topic.topic().messageType())
                .producer(null, producerGroup, null)
                .stored(stored.timestamp(), stored.partition(), stored.offset()).build());
        return true;
    }

    private RecordMetadata send(String kafkaTopic, String msgId, Half half, String producerGroup) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(kafkaTopic, null, null,
                half.properties.get(MessageProperties.SHARDING_KEY), half.body,
                MessageHeaders.of(msgId, half.tag, half.properties, half.bornHost, half.bornTimestamp, producerGroup));
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OnsError.MQ_SERVICE_UNAVAILABLE.exception("interrupted while committing " + msgId);
        } catch (ExecutionException | TimeoutException e) {
            throw OnsError.MQ_SERVICE_UNAVAILABLE.exception("Kafka did not store the committed message " + msgId
                    + ": " + e.getMessage());
        }
    }

    private boolean rollback(MessagingAccess.TopicAccess topic, String producerGroup, String msgId, String handle) {
        long now = System.currentTimeMillis();
        int updated = jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE half_message SET state = ?, resolved_at = ? "
                    + "WHERE msg_id = ? AND kafka_topic = ? AND state = ? AND handle = ? AND handle_expires_at > ?")) {
                ps.setString(1, ROLLED_BACK);
                ps.setLong(2, now);
                ps.setString(3, msgId);
                ps.setString(4, topic.kafkaTopic());
                ps.setString(5, PENDING);
                ps.setString(6, handle);
                ps.setLong(7, now);
                return ps.executeUpdate();
            }
        });
        if (updated == 0) {
            return false;
        }
        events.emit(EventBuilder.of(MessageLifecycleEventType.ROLLED_BACK, msgId)
                .topic(topic.accountId(), topic.instanceId(), topic.topic().topic(), topic.topic().messageType())
                .producer(null, producerGroup, null).build());
        return true;
    }

    /**
     * Takes up to {@code max} undecided half messages whose check is due (trans=pop), each with a new check
     * handle valid for one check interval; those past the check period are discarded instead.
     */
    public List<ConsumedMessage> takeDue(MessagingAccess.TopicAccess topic, String producerGroup, int max) {
        long now = System.currentTimeMillis();
        long interval = config.transaction().checkInterval().toMillis();
        long oldest = now - config.transaction().checkMaxAge().toMillis();
        List<MessageLifecycleEvent> emitted = new ArrayList<>();
        List<ConsumedMessage> taken = jdbc.inTransaction(c -> {
            List<ConsumedMessage> out = new ArrayList<>();
            emitted.clear();
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT msg_id, tag, properties, body, store_timestamp, "
                    + "checked_times, first_checked_at FROM half_message WHERE kafka_topic = ? AND state = ? "
                    + "AND next_check_at <= ? ORDER BY next_check_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setString(1, topic.kafkaTopic());
                ps.setString(2, PENDING);
                ps.setLong(3, now);
                ps.setInt(4, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long firstChecked = rs.getLong(7);
                        rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                                rs.getLong(5), rs.getInt(6), rs.wasNull() ? null : firstChecked});
                    }
                }
            }
            try (PreparedStatement offer = c.prepareStatement("UPDATE half_message SET handle = ?, "
                    + "handle_expires_at = ?, next_check_at = ?, checked_times = checked_times + 1, "
                    + "first_checked_at = coalesce(first_checked_at, ?) WHERE msg_id = ?");
                    PreparedStatement discard = c.prepareStatement("UPDATE half_message SET state = ?, "
                            + "resolved_at = ? WHERE msg_id = ?")) {
                for (Object[] row : rows) {
                    String msgId = (String) row[0];
                    long storedAt = (Long) row[4];
                    if (storedAt < oldest) {
                        discard.setString(1, ROLLED_BACK);
                        discard.setLong(2, now);
                        discard.setString(3, msgId);
                        discard.addBatch();
                        emitted.add(EventBuilder.of(MessageLifecycleEventType.ROLLED_BACK, msgId)
                                .topic(topic.accountId(), topic.instanceId(), topic.topic().topic(),
                                        topic.topic().messageType())
                                .reason("not committed within the check period; discarded").build());
                        continue;
                    }
                    String handle = ReceiptHandles.next(msgId);
                    Long firstChecked = (Long) row[6];
                    offer.setString(1, handle);
                    offer.setLong(2, now + interval);
                    offer.setLong(3, now + interval);
                    offer.setLong(4, now);
                    offer.setString(5, msgId);
                    offer.addBatch();
                    byte[] body = (byte[]) row[3];
                    Map<String, String> properties = read((String) row[2]);
                    out.add(new ConsumedMessage(msgId, Digests.md5Hex(body), new String(body, StandardCharsets.UTF_8),
                            handle, storedAt, firstChecked == null ? now : firstChecked, now + interval,
                            (Integer) row[5] + 1, (String) row[1], properties));
                }
                offer.executeBatch();
                discard.executeBatch();
            }
            return out;
        });
        events.emitAll(emitted);
        return taken;
    }

    private String write(Map<String, String> properties) {
        try {
            return json.writeValueAsString(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> read(String properties) {
        try {
            return properties == null ? new LinkedHashMap<>() : json.readValue(properties, PROPERTIES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Half(String tag, Map<String, String> properties, byte[] body, String bornHost, long bornTimestamp,
            String state, String handle, long handleExpiresAt) {
    }
}
