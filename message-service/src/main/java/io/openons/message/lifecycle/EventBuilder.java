package io.openons.message.lifecycle;

import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Builds one {@link MessageLifecycleEvent}. Event ids are derived from what the event is about (message,
 * type, group, attempt), so an event emitted twice (a batch re-indexed after a restart) carries the same id
 * and consumers count it once.
 */
public final class EventBuilder {

    private final MessageLifecycleEventType type;
    private final String msgId;
    private String idSuffix = "";
    private long occurredAt = System.currentTimeMillis();
    private String accountId;
    private String instanceId;
    private String topic;
    private Integer messageType;
    private String tag;
    private String keys;
    private String bornHost;
    private String producerGroup;
    private Long bornTimestamp;
    private Long storeTimestamp;
    private Long deliverAt;
    private Integer partition;
    private Long offset;
    private Integer bodySize;
    private Long costMillis;
    private String groupId;
    private String clientId;
    private String clientHost;
    private Integer reconsumeTimes;
    private Long deliveredAt;
    private String reason;

    private EventBuilder(MessageLifecycleEventType type, String msgId) {
        this.type = type;
        this.msgId = msgId;
    }

    public static EventBuilder of(MessageLifecycleEventType type, String msgId) {
        return new EventBuilder(type, msgId);
    }

    /** What makes this event unique besides its type and message (e.g. group and attempt). */
    public EventBuilder idSuffix(String suffix) {
        this.idSuffix = suffix;
        return this;
    }

    public EventBuilder occurredAt(long at) {
        this.occurredAt = at;
        return this;
    }

    public EventBuilder topic(String accountId, String instanceId, String topic, Integer messageType) {
        this.accountId = accountId;
        this.instanceId = instanceId;
        this.topic = topic;
        this.messageType = messageType;
        return this;
    }

    public EventBuilder message(String tag, String keys, Integer bodySize) {
        this.tag = tag;
        this.keys = keys;
        this.bodySize = bodySize;
        return this;
    }

    public EventBuilder producer(String bornHost, String producerGroup, Long bornTimestamp) {
        this.bornHost = bornHost;
        this.producerGroup = producerGroup;
        this.bornTimestamp = bornTimestamp;
        return this;
    }

    public EventBuilder stored(Long storeTimestamp, Integer partition, Long offset) {
        this.storeTimestamp = storeTimestamp;
        this.partition = partition;
        this.offset = offset;
        return this;
    }

    public EventBuilder deliverAt(Long deliverAt) {
        this.deliverAt = deliverAt;
        return this;
    }

    public EventBuilder cost(Long costMillis) {
        this.costMillis = costMillis;
        return this;
    }

    public EventBuilder consumer(String groupId, String clientId, String clientHost, Integer reconsumeTimes,
            Long deliveredAt) {
        this.groupId = groupId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.reconsumeTimes = reconsumeTimes;
        this.deliveredAt = deliveredAt;
        return this;
    }

    public EventBuilder reason(String reason) {
        this.reason = reason;
        return this;
    }

    public MessageLifecycleEvent build() {
        String id = UUID.nameUUIDFromBytes((type + "/" + msgId + "/" + idSuffix).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, id, type, occurredAt, accountId,
                instanceId, topic, msgId, messageType, tag, keys, bornHost, producerGroup, bornTimestamp,
                storeTimestamp, deliverAt, partition, offset, bodySize, costMillis, groupId, clientId, clientHost,
                reconsumeTimes, deliveredAt, reason);
    }
}
