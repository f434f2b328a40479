package io.openons.trace.trace;

import io.openons.contracts.event.MessageLifecycleEventType;
import java.util.UUID;

/**
 * One lifecycle event as trace-service keeps it: the fields of {@link io.openons.contracts.event.MessageLifecycleEvent}
 * that a trace shows (see the contract for their meaning).
 */
public record TraceEvent(
        UUID eventId,
        String msgId,
        String instanceId,
        String topic,
        MessageLifecycleEventType type,
        long occurredAt,
        String tag,
        String keys,
        String bornHost,
        String producerGroup,
        Long bornTimestamp,
        Long storeTimestamp,
        Long deliverAt,
        Long costMillis,
        String groupId,
        String clientId,
        String clientHost,
        Integer reconsumeTimes,
        Long deliveredAt) {

    /**
     * Where the retention of this record counts from: when it happened, except that a delayed message's records
     * count from its delivery time (the product's retention rule for delayed messages).
     */
    public long retainFrom() {
        return deliverAt != null ? Math.max(occurredAt, deliverAt) : occurredAt;
    }

    /** Whether this event records the publication itself (it carries the publish record of the trace). */
    public boolean isPublish() {
        return switch (type) {
            case PUBLISHED, PUBLISH_FAILED, DELAYED, HALF_PUBLISHED -> true;
            default -> false;
        };
    }

    /** Whether the message reached a consumer (or a dead-letter queue), which proves it was stored. */
    public boolean isConsumption() {
        return switch (type) {
            case DELIVERED, ACKED, CONSUME_FAILED, DEAD_LETTERED, DLQ_RESENT -> true;
            default -> false;
        };
    }

    /**
     * The message's publish time as the trace shows it (PubTime): when the producer created the message, else
     * when it was stored, else when the event happened.
     */
    public long pubTime() {
        if (bornTimestamp != null) {
            return bornTimestamp;
        }
        return storeTimestamp != null ? storeTimestamp : occurredAt;
    }
}
