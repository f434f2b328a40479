package io.openons.contracts.event;

/** Names of the Kafka topics that carry events between services (the event bus). */
public final class EventTopics {

    /**
     * Resource metadata changes published by resource-service through its outbox. One partition (changes stay
     * in order), compacted: the record key names one resource ({@link io.openons.contracts.event.ResourceEvent#key()}),
     * so a consumer that reads from the beginning learns the latest state of every resource.
     */
    public static final String RESOURCE_EVENTS = "ons.resource-events.v1";

    /**
     * Message lifecycle events published by message-service (publish, delivery, ack, failure, dead letter...),
     * consumed by trace-service and stats-service; key = message id, retention = message retention.
     */
    public static final String MESSAGE_LIFECYCLE = "ons.message-lifecycle.v1";

    private EventTopics() {
    }
}
