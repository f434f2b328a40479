package io.openons.resource.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.event.ResourceEventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes resource events into the outbox, in the caller's transaction: the event exists exactly when the
 * change it describes was committed. {@link OutboxRelay} sends it to Kafka afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;
    private final Event<OutboxAppended> appended;

    Outbox(ObjectMapper json, Event<OutboxAppended> appended) {
        this.json = json;
        this.appended = appended;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void instance(ResourceEventType type, String accountId, ResourceEvent.InstanceRecord instance) {
        append(new ResourceEvent(ResourceEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, accountId,
                System.currentTimeMillis(), instance, null, null));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void topic(ResourceEventType type, String accountId, ResourceEvent.TopicRecord topic) {
        append(new ResourceEvent(ResourceEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, accountId,
                System.currentTimeMillis(), null, topic, null));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void group(ResourceEventType type, String accountId, ResourceEvent.GroupRecord group) {
        append(new ResourceEvent(ResourceEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, accountId,
                System.currentTimeMillis(), null, null, group));
    }

    private void append(ResourceEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = UUID.fromString(event.eventId());
        row.kafkaTopic = EventTopics.RESOURCE_EVENTS;
        row.recordKey = event.key();
        row.createdAt = Instant.ofEpochMilli(event.occurredAt());
        try {
            row.payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Resource event cannot be serialised", e);
        }
        row.persist();
        appended.fire(new OutboxAppended());
    }

    /** Fired when an event was appended; observed after commit to relay it without waiting for the poll. */
    public record OutboxAppended() {
    }
}
