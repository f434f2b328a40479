package io.openons.trace;

import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/** Builds lifecycle events the way message-service fills them, one message at a time. */
public final class Lifecycle {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String accountId;
    private final String instanceId;
    private final String topic;
    private final String msgId;
    private final int messageType;
    private String tag = "TagA";
    private String keys;
    private long bornTimestamp;

    private Lifecycle(String accountId, String instanceId, String topic, String msgId, int messageType) {
        this.accountId = accountId;
        this.instanceId = instanceId;
        this.topic = topic;
        this.msgId = msgId;
        this.messageType = messageType;
    }

    public static Lifecycle message(String accountId, String instanceId, String topic) {
        return new Lifecycle(accountId, instanceId, topic, newMsgId(), 0);
    }

    public static Lifecycle message(String accountId, String instanceId, String topic, int messageType) {
        return new Lifecycle(accountId, instanceId, topic, newMsgId(), messageType);
    }

    /** A RocketMQ-style message id: 32 upper-case hex characters. */
    public static String newMsgId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    public String msgId() {
        return msgId;
    }

    public Lifecycle keys(String keys) {
        this.keys = keys;
        return this;
    }

    public Lifecycle tag(String tag) {
        this.tag = tag;
        return this;
    }

    /** The publication; PubTime = {@code at - 2}, CostTime 2 ms. */
    public MessageLifecycleEvent publish(MessageLifecycleEventType type, long at) {
        bornTimestamp = at - 2;
        return event(type, at, null, null, null, null, null, 2L, null);
    }

    public MessageLifecycleEvent delayed(long at, long deliverAt) {
        bornTimestamp = at - 2;
        return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, UUID.randomUUID().toString(),
                MessageLifecycleEventType.DELAYED, at, accountId, instanceId, topic, msgId, messageType, tag, keys,
                "192.168.0.7:40001", null, bornTimestamp, at, deliverAt, 1, 42L, 11, 2L, null, null, null, null,
                null, null);
    }

    /** An event without consumer fields (COMMITTED, ROLLED_BACK, DELIVERABLE...). */
    public MessageLifecycleEvent plain(MessageLifecycleEventType type, long at) {
        return event(type, at, null, null, null, null, null, null, null);
    }

    public MessageLifecycleEvent delivered(String group, String client, int reconsumeTimes, long at) {
        return event(MessageLifecycleEventType.DELIVERED, at, group, client, client + "@10.1.1.1:6000",
                reconsumeTimes, null, null, null);
    }

    public MessageLifecycleEvent acked(String group, String client, int reconsumeTimes, long deliveredAt, long at) {
        return event(MessageLifecycleEventType.ACKED, at, group, client, client + "@10.1.1.1:6000", reconsumeTimes,
                deliveredAt, at - deliveredAt, null);
    }

    public MessageLifecycleEvent failed(String group, String client, int reconsumeTimes, long deliveredAt, long at) {
        return event(MessageLifecycleEventType.CONSUME_FAILED, at, group, client, client + "@10.1.1.1:6000",
                reconsumeTimes, deliveredAt, at - deliveredAt, "not acknowledged within its invisibility time");
    }

    private MessageLifecycleEvent event(MessageLifecycleEventType type, long at, String group, String client,
            String clientHost, Integer reconsumeTimes, Long deliveredAt, Long cost, String reason) {
        boolean publish = group == null && cost != null;
        return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, at,
                accountId, instanceId, topic, msgId, messageType, tag, keys,
                publish ? "192.168.0.7:40001" : null, publish && messageType == 4 ? "GID_tx_producer" : null,
                bornTimestamp == 0 ? null : bornTimestamp, publish ? at : null, null, 1, 42L, 11, cost, group,
                client, clientHost, reconsumeTimes, deliveredAt, reason);
    }
}
