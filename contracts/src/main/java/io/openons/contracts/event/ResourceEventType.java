package io.openons.contracts.event;

/** What happened to a resource. Consumers must ignore types they do not know (forward compatibility). */
public enum ResourceEventType {
    INSTANCE_CREATED, INSTANCE_UPDATED, INSTANCE_DELETED,
    TOPIC_CREATED, TOPIC_UPDATED, TOPIC_DELETED,
    GROUP_CREATED, GROUP_UPDATED, GROUP_DELETED
}
