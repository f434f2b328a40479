package io.openons.message.push;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEvent;
import io.openons.message.config.MessageConfig;
import io.openons.message.consume.ArrivalBus;
import io.openons.message.consumer.ConsumerService;
import io.openons.message.jdbc.Jdbc;
import io.openons.message.model.MessageIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;

/**
 * OnsMessagePush (docs/decisions/0502-message-push.md): the body and properties of a stored message, re-wrapped as
 * a new message with a new id, delivered to one online client of an HTTP group with its next poll of the topic
 * (before the topic's stream), with the group's invisibility and retries; nobody else receives it.
 */
@ApplicationScoped
public class PushService {

    private final Jdbc jdbc;
    private final ConsumerService consumers;
    private final MessageConfig config;

    PushService(Jdbc jdbc, ConsumerService consumers, MessageConfig config) {
        this.jdbc = jdbc;
        this.consumers = consumers;
        this.config = config;
    }

    /** Pushes; answers the new message's id. */
    public String push(ResourceEvent.GroupRecord group, ResourceEvent.TopicRecord topic, String clientId,
            String msgId) {
        if (!ConsumerService.isHttp(group)) {
            throw OnsError.CONSUMER_NOT_ONLINE.exception("The Group ID \"" + group.groupId() + "\" is a "
                    + group.groupType() + " group: its Kafka-native consumers fetch from Kafka themselves and cannot "
                    + "receive pushed messages; push to a client of an http group (OnsConsumerGetConnection).");
        }
        ConsumerService.Connection client = consumers.onlineClient(group, clientId);
        if (client == null) {
            throw OnsError.CONSUMER_NOT_ONLINE.exception("The client \"" + clientId + "\" of Group ID \""
                    + group.groupId() + "\" is not online; call OnsConsumerGetConnection for the online clients.");
        }
        if (client.subs().stream().noneMatch(s -> s.topic().equals(topic.topic()))) {
            throw OnsError.CONSUMER_NOT_ONLINE.exception("The client \"" + clientId + "\" is online but does not "
                    + "consume topic " + topic.topic() + "; push a message of a topic it consumes.");
        }
        String newId = MessageIds.next();
        long now = System.currentTimeMillis();
        boolean pushed = jdbc.inTransaction(c -> {
            int rows;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO direct_delivery (instance_id, group_id, "
                    + "msg_id, kind, account_id, topic, kafka_topic, target_client_id, origin_msg_id, dlq_entry_id, "
                    + "kafka_partition, kafka_offset, tag, keys, properties, body, body_crc, store_size, "
                    + "born_timestamp, born_host, store_timestamp, visible_at, consumed_times, created_at, expires_at) "
                    + "SELECT ?, ?, ?, 'PUSH', account_id, ?, ?, ?, msg_id, NULL, NULL, NULL, tag, keys, properties, "
                    + "body, body_crc, store_size, ?, born_host, ?, ?, 0, ?, ? FROM message "
                    + "WHERE msg_id = ? AND kafka_topic = ?")) {
                ps.setString(1, group.instanceId());
                ps.setString(2, group.groupId());
                ps.setString(3, newId);
                ps.setString(4, topic.topic());
                ps.setString(5, topic.kafkaTopic());
                ps.setString(6, clientId);
                ps.setLong(7, now);
                ps.setLong(8, now);
                ps.setLong(9, now);
                ps.setLong(10, now);
                ps.setLong(11, now + config.retention().toMillis());
                ps.setString(12, msgId);
                ps.setString(13, topic.kafkaTopic());
                rows = ps.executeUpdate();
            }
            if (rows > 0) {
                ArrivalBus.notify(c, topic.kafkaTopic());
            }
            return rows > 0;
        });
        if (!pushed) {
            throw OnsError.NO_MESSAGE.exception("No message with MsgId " + msgId + " is stored in topic "
                    + topic.topic() + " of instance " + topic.instanceId() + ".");
        }
        return newId;
    }

    /** The instances of an account holding this message id, when the caller gave no InstanceId. */
    public java.util.List<String> instancesOf(String accountId, String msgId) {
        return jdbc.read(c -> {
            java.util.List<String> out = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT instance_id FROM message "
                    + "WHERE msg_id = ? AND account_id = ?")) {
                ps.setString(1, msgId);
                ps.setString(2, accountId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }
}
