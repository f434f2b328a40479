package io.openons.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A change of resource metadata, carrying the full resource after the change (before it, for deletions),
 * so that consumers can keep their own copy without asking resource-service. Exactly one of
 * {@code instance}, {@code topic} and {@code group} is set. Published on {@link EventTopics#RESOURCE_EVENTS}
 * keyed by {@link #key()}, through resource-service's transactional outbox; delivery is at least once, so
 * consumers deduplicate by {@code eventId} (or apply events idempotently by {@code updateTime}).
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}; consumers reject versions they do not understand
 * @param eventId       unique id of this event (UUID)
 * @param type          what happened
 * @param accountId     the owning account
 * @param occurredAt    epoch milliseconds of the change
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceEvent(int schemaVersion, String eventId, ResourceEventType type, String accountId,
        long occurredAt, InstanceRecord instance, TopicRecord topic, GroupRecord group) {

    public static final int SCHEMA_VERSION = 1;

    /** The Kafka record key: one key per resource, so that compaction keeps each resource's latest event. */
    public String key() {
        if (topic != null) {
            return topic.instanceId() + "/topic/" + topic.topic();
        }
        if (group != null) {
            return group.instanceId() + "/group/" + group.groupId();
        }
        return instanceId();
    }

    /** The instance a resource event is about. */
    public String instanceId() {
        if (instance != null) {
            return instance.instanceId();
        }
        if (topic != null) {
            return topic.instanceId();
        }
        return group == null ? null : group.instanceId();
    }

    /** An instance as carried in events. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InstanceRecord(String instanceId, String regionId, String instanceName, String remark,
            int instanceType, int instanceStatus, long createTime, long updateTime) {
    }

    /**
     * A topic as carried in events.
     *
     * @param kafkaTopic  the Kafka topic that holds the topic's messages
     * @param partitions  its partition count
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TopicRecord(String instanceId, String topic, int messageType, int perm, String remark,
            String kafkaTopic, int partitions, long createTime, long updateTime) {
    }

    /** A Group ID as carried in events; {@code readEnable} is the switch of OnsGroupConsumerUpdate. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GroupRecord(String instanceId, String groupId, String groupType, boolean readEnable,
            String remark, long createTime, long updateTime) {
    }
}
