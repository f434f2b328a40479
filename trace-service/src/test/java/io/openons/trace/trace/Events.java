package io.openons.trace.trace;

import io.openons.contracts.event.MessageLifecycleEventType;
import java.util.UUID;

/** Builds trace events for unit tests; every event gets a fresh id unless one is given. */
final class Events {

    static final String MSG = "0A0B0C0D0E0F00000000000000000001";
    static final String INSTANCE = "MQ_INST_1000000000000001_test";
    static final String TOPIC = "orders";

    private Events() {
    }

    static TraceEvent publish(MessageLifecycleEventType type, long at) {
        return new TraceEvent(UUID.randomUUID(), MSG, INSTANCE, TOPIC, type, at, "TagA", "ORDER_1", "10.0.0.1:5555",
                "GID_producer", at - 3, at, null, 7L, null, null, null, null, null);
    }

    static TraceEvent delayed(long at, long deliverAt) {
        return new TraceEvent(UUID.randomUUID(), MSG, INSTANCE, TOPIC, MessageLifecycleEventType.DELAYED, at, "TagA",
                "ORDER_1", "10.0.0.1:5555", null, at - 3, at, deliverAt, 7L, null, null, null, null, null);
    }

    static TraceEvent plain(MessageLifecycleEventType type, long at) {
        return new TraceEvent(UUID.randomUUID(), MSG, INSTANCE, TOPIC, type, at, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    static TraceEvent delivered(String group, String client, int reconsume, long at) {
        return new TraceEvent(UUID.randomUUID(), MSG, INSTANCE, TOPIC, MessageLifecycleEventType.DELIVERED, at,
                "TagA", null, null, null, null, null, null, null, group, client, client + "-host:7000", reconsume,
                null);
    }

    static TraceEvent acked(String group, String client, int reconsume, long deliveredAt, long at) {
        return outcome(MessageLifecycleEventType.ACKED, group, client, reconsume, deliveredAt, at);
    }

    static TraceEvent failed(String group, String client, int reconsume, long deliveredAt, long at) {
        return outcome(MessageLifecycleEventType.CONSUME_FAILED, group, client, reconsume, deliveredAt, at);
    }

    /** A copy of an event with some fields changed. */
    static Builder from(TraceEvent e) {
        return new Builder(e);
    }

    static final class Builder {
        private TraceEvent e;

        Builder(TraceEvent e) {
            this.e = e;
        }

        Builder reconsume(Integer reconsumeTimes) {
            e = new TraceEvent(e.eventId(), e.msgId(), e.instanceId(), e.topic(), e.type(), e.occurredAt(), e.tag(),
                    e.keys(), e.bornHost(), e.producerGroup(), e.bornTimestamp(), e.storeTimestamp(), e.deliverAt(),
                    e.costMillis(), e.groupId(), e.clientId(), e.clientHost(), reconsumeTimes, e.deliveredAt());
            return this;
        }

        Builder client(String clientId) {
            e = new TraceEvent(e.eventId(), e.msgId(), e.instanceId(), e.topic(), e.type(), e.occurredAt(), e.tag(),
                    e.keys(), e.bornHost(), e.producerGroup(), e.bornTimestamp(), e.storeTimestamp(), e.deliverAt(),
                    e.costMillis(), e.groupId(), clientId, e.clientHost(), e.reconsumeTimes(), e.deliveredAt());
            return this;
        }

        Builder deliveredAt(Long deliveredAt) {
            e = new TraceEvent(e.eventId(), e.msgId(), e.instanceId(), e.topic(), e.type(), e.occurredAt(), e.tag(),
                    e.keys(), e.bornHost(), e.producerGroup(), e.bornTimestamp(), e.storeTimestamp(), e.deliverAt(),
                    e.costMillis(), e.groupId(), e.clientId(), e.clientHost(), e.reconsumeTimes(), deliveredAt);
            return this;
        }

        Builder group(String groupId) {
            e = new TraceEvent(e.eventId(), e.msgId(), e.instanceId(), e.topic(), e.type(), e.occurredAt(), e.tag(),
                    e.keys(), e.bornHost(), e.producerGroup(), e.bornTimestamp(), e.storeTimestamp(), e.deliverAt(),
                    e.costMillis(), groupId, e.clientId(), e.clientHost(), e.reconsumeTimes(), e.deliveredAt());
            return this;
        }

        Builder bornHost(String bornHost) {
            e = new TraceEvent(e.eventId(), e.msgId(), e.instanceId(), e.topic(), e.type(), e.occurredAt(), e.tag(),
                    e.keys(), bornHost, e.producerGroup(), e.bornTimestamp(), e.storeTimestamp(), e.deliverAt(),
                    e.costMillis(), e.groupId(), e.clientId(), e.clientHost(), e.reconsumeTimes(), e.deliveredAt());
            return this;
        }

        TraceEvent build() {
            return e;
        }
    }

    static TraceEvent outcome(MessageLifecycleEventType type, String group, String client, int reconsume,
            long deliveredAt, long at) {
        return new TraceEvent(UUID.randomUUID(), MSG, INSTANCE, TOPIC, type, at, null, null, null, null, null, null,
                null, at - deliveredAt, group, client, client + "-host:7000", reconsume, deliveredAt);
    }
}
