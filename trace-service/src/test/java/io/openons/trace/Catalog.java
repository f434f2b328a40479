package io.openons.trace;

import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.event.ResourceEventType;
import java.util.UUID;

/** Creates instances and topics in the resource catalog the way resource-service announces them. */
public final class Catalog {

    public static final String REGION = "cn-hangzhou";

    private Catalog() {
    }

    public static String instance(String accountId) {
        String instanceId = "MQ_INST_" + accountId + "_" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        TestKafka.resource(new ResourceEvent(ResourceEvent.SCHEMA_VERSION, UUID.randomUUID().toString(),
                ResourceEventType.INSTANCE_CREATED, accountId, now,
                new ResourceEvent.InstanceRecord(instanceId, REGION, "inst-" + instanceId.hashCode(), null, 1, 5, now,
                        now), null, null));
        return instanceId;
    }

    public static void topic(String accountId, String instanceId, String topic) {
        long now = System.currentTimeMillis();
        TestKafka.resource(new ResourceEvent(ResourceEvent.SCHEMA_VERSION, UUID.randomUUID().toString(),
                ResourceEventType.TOPIC_CREATED, accountId, now, null,
                new ResourceEvent.TopicRecord(instanceId, topic, 0, 6, null, instanceId + "." + topic, 4, now, now),
                null));
    }
}
