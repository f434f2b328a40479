package io.openons.stats.aggregate;

import io.openons.contracts.event.MessageLifecycleEvent;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Which lifecycle events count, where, and under which dedupe key (docs/decisions/0400-what-the-trends-count.md):
 * <ul>
 * <li>produced (topic input): {@code PUBLISHED} and {@code DELAYED} at the message's store time (a delayed
 * message is produced when it is stored, not when it becomes deliverable), and {@code COMMITTED} at the commit
 * (a transactional message enters its topic when committed; half and rolled-back messages never do). Each
 * message id counts once, whichever of these events carry it and however often.</li>
 * <li>consumed (group output): {@code ACKED}, at the acknowledgement, once per event id: a message counts as
 * consumed when its consumer confirmed it, so failed deliveries that are retried are not counted twice, while
 * a message consumed again after an offset reset or a dead-letter resend is.</li>
 * </ul>
 * Everything else (deliveries, failures, dead letters, unknown future types) is not counted.
 */
public final class Counting {

    private Counting() {
    }

    /** The count an event contributes, or null when it contributes none. */
    public static CountedEvent classify(MessageLifecycleEvent e) {
        if (e == null || e.type() == null || e.schemaVersion() != MessageLifecycleEvent.SCHEMA_VERSION
                || blank(e.accountId()) || blank(e.instanceId()) || blank(e.topic())) {
            return null;
        }
        return switch (e.type()) {
            case PUBLISHED, DELAYED -> input(e, e.storeTimestamp() != null ? e.storeTimestamp() : e.occurredAt());
            case COMMITTED -> input(e, e.occurredAt());
            case ACKED -> blank(e.groupId()) || blank(e.eventId()) ? null
                    : new CountedEvent(key("event:", e.eventId()), e.accountId(), e.instanceId(), e.groupId(),
                            e.topic(), TimeBuckets.minute(e.occurredAt()), e.occurredAt());
            default -> null;
        };
    }

    private static CountedEvent input(MessageLifecycleEvent e, long time) {
        UUID key = !blank(e.msgId()) ? key("msg:", e.msgId()) : blank(e.eventId()) ? null : key("event:", e.eventId());
        if (key == null) {
            return null;
        }
        return new CountedEvent(key, e.accountId(), e.instanceId(), CountedEvent.TOPIC_INPUT, e.topic(),
                TimeBuckets.minute(time), e.occurredAt());
    }

    /**
     * A compact, deterministic key (16 bytes): a name-based UUID of the namespaced id, so that message ids and
     * event ids of any format never collide with each other.
     */
    static UUID key(String namespace, String id) {
        return UUID.nameUUIDFromBytes((namespace + id).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
