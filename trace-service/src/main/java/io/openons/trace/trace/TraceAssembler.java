package io.openons.trace.trace;

import static io.openons.contracts.event.MessageLifecycleEventType.ACKED;
import static io.openons.contracts.event.MessageLifecycleEventType.COMMITTED;
import static io.openons.contracts.event.MessageLifecycleEventType.CONSUME_FAILED;
import static io.openons.contracts.event.MessageLifecycleEventType.DELAYED;
import static io.openons.contracts.event.MessageLifecycleEventType.DELIVERABLE;
import static io.openons.contracts.event.MessageLifecycleEventType.DELIVERED;
import static io.openons.contracts.event.MessageLifecycleEventType.HALF_PUBLISHED;
import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISHED;
import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISH_FAILED;
import static io.openons.contracts.event.MessageLifecycleEventType.ROLLED_BACK;

import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.service.api.ItemList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Folds the lifecycle events of one message into its trace. A pure function of the set of events: the order in
 * which they arrived plays no part (an ACKED may be stored before its DELIVERED), and the caller has already
 * removed duplicates (one row per event id).
 *
 * <p>Publish status: a rollback is final ({@code SEND_ROLLBACK}); a half message is {@code SEND_UNKNOWN} until it
 * is committed, a delayed message {@code SEND_DELAY} until it becomes deliverable, and either turns into
 * {@code SEND_SUCCESS} as soon as any consumption shows it was delivered (even if the COMMITTED or DELIVERABLE
 * event itself is not there yet); a failed publish is {@code SEND_FAILED} unless the same message was stored after
 * all.
 *
 * <p>Consumption: each DELIVERED event opens a delivery attempt ({@code CONSUME_NOT_RETURN} until settled); an
 * ACKED or CONSUME_FAILED settles the attempt it belongs to: the one with the same group, client and reconsume
 * count that started at the outcome's {@code deliveredAt}, else the latest unsettled such attempt started before
 * the outcome. An outcome whose delivery was never recorded still counts, as an attempt of its own. A second
 * outcome of an already settled attempt is ignored (an attempt has one outcome).
 */
public final class TraceAssembler {

    private static final Comparator<TraceEvent> BY_TIME = Comparator.comparingLong(TraceEvent::occurredAt)
            .thenComparing(TraceEvent::eventId);

    private TraceAssembler() {
    }

    /** The trace of a message with the time its query range selects on (PubTime, else its first event). */
    public record MessageTrace(long messageTime, TraceMapDo trace) {
    }

    /** The trace of one message from its events (at least one). */
    public static MessageTrace assemble(String msgId, String topic, Collection<TraceEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a trace needs at least one event");
        }
        List<TraceEvent> sorted = events.stream().sorted(BY_TIME).toList();
        TraceEvent publish = publishRecord(sorted);
        SendStatus status = sendStatus(sorted);
        String tag = publish != null && publish.tag() != null ? publish.tag() : first(sorted, TraceEvent::tag);
        String keys = publish != null && publish.keys() != null ? publish.keys() : first(sorted, TraceEvent::keys);
        String pubGroup = publish != null && publish.producerGroup() != null ? publish.producerGroup()
                : first(sorted, TraceEvent::producerGroup);
        TraceMapDo trace = new TraceMapDo(msgId, topic, tag, blankToNull(keys), pubGroup,
                publish == null ? null : publish.bornHost(),
                publish == null ? null : publish.pubTime(),
                publish == null ? null : toInt(publish.costMillis()),
                status == null ? null : status.name(),
                ItemList.of("SubMapDo", consumption(sorted)));
        long messageTime = publish != null ? publish.pubTime() : sorted.get(0).occurredAt();
        return new MessageTrace(messageTime, trace);
    }

    /** The publish status the events show, or null when they say nothing about the publication. */
    public static SendStatus sendStatus(Collection<TraceEvent> events) {
        Set<MessageLifecycleEventType> seen = EnumSet.noneOf(MessageLifecycleEventType.class);
        boolean consumed = false;
        for (TraceEvent e : events) {
            seen.add(e.type());
            consumed |= e.isConsumption();
        }
        if (seen.contains(ROLLED_BACK)) {
            return SendStatus.SEND_ROLLBACK;
        }
        if (seen.contains(HALF_PUBLISHED) && !seen.contains(COMMITTED) && !consumed) {
            return SendStatus.SEND_UNKNOWN;
        }
        if (seen.contains(DELAYED) && !seen.contains(DELIVERABLE) && !consumed) {
            return SendStatus.SEND_DELAY;
        }
        if (consumed || seen.contains(PUBLISHED) || seen.contains(COMMITTED) || seen.contains(DELAYED)
                || seen.contains(DELIVERABLE) || seen.contains(HALF_PUBLISHED)) {
            return SendStatus.SEND_SUCCESS;
        }
        if (seen.contains(PUBLISH_FAILED)) {
            return SendStatus.SEND_FAILED;
        }
        return null;
    }

    /** The event that carries the publish record: the first successful publication, else the first failed one. */
    static TraceEvent publishRecord(List<TraceEvent> sorted) {
        TraceEvent failed = null;
        for (TraceEvent e : sorted) {
            if (e.isPublish()) {
                if (e.type() != PUBLISH_FAILED) {
                    return e;
                }
                if (failed == null) {
                    failed = e;
                }
            }
        }
        return failed;
    }

    /** The consuming groups with their delivery attempts, groups and attempts in the order they started. */
    public static List<TraceMapDo.SubMapDo> consumption(Collection<TraceEvent> events) {
        Map<String, List<TraceEvent>> byGroup = new LinkedHashMap<>();
        for (TraceEvent e : events.stream().sorted(BY_TIME).toList()) {
            if (e.groupId() != null && (e.type() == DELIVERED || e.type() == ACKED || e.type() == CONSUME_FAILED)) {
                byGroup.computeIfAbsent(e.groupId(), g -> new ArrayList<>()).add(e);
            }
        }
        List<GroupTrace> groups = new ArrayList<>();
        byGroup.forEach((group, groupEvents) -> groups.add(new GroupTrace(group, attempts(groupEvents))));
        groups.sort(Comparator.comparingLong(GroupTrace::firstStart).thenComparing(GroupTrace::group));
        return groups.stream().map(GroupTrace::toSubMapDo).toList();
    }

    private static List<Attempt> attempts(List<TraceEvent> sortedGroupEvents) {
        List<Attempt> attempts = new ArrayList<>();
        List<TraceEvent> outcomes = new ArrayList<>();
        for (TraceEvent e : sortedGroupEvents) {
            if (e.type() == DELIVERED) {
                attempts.add(Attempt.delivered(e));
            } else {
                outcomes.add(e);
            }
        }
        for (TraceEvent outcome : outcomes) {
            Attempt exact = null;
            Attempt latestBefore = null;
            Attempt earliestAfter = null;
            for (Attempt a : attempts) {
                if (!a.compatibleWith(outcome)) {
                    continue;
                }
                if (a.delivery != null && outcome.deliveredAt() != null
                        && a.delivery.occurredAt() == outcome.deliveredAt()) {
                    exact = a;
                    break;
                }
                if (a.outcome != null || a.delivery == null) {
                    continue;
                }
                if (a.delivery.occurredAt() <= outcome.occurredAt()) {
                    latestBefore = a;
                } else if (earliestAfter == null) {
                    earliestAfter = a;
                }
            }
            Attempt target = exact != null ? exact : latestBefore != null ? latestBefore : earliestAfter;
            if (target == null) {
                attempts.add(Attempt.settledOnly(outcome));
            } else if (target.outcome == null) {
                target.outcome = outcome;
            }
            // else: this attempt already has its outcome; a second one does not change what happened.
        }
        attempts.sort(Comparator.comparingLong(Attempt::start)
                .thenComparing(a -> a.reconsumeTimes() == null ? -1 : a.reconsumeTimes()));
        return attempts;
    }

    private record GroupTrace(String group, List<Attempt> attempts) {

        long firstStart() {
            return attempts.isEmpty() ? Long.MAX_VALUE : attempts.get(0).start();
        }

        TraceMapDo.SubMapDo toSubMapDo() {
            int success = 0;
            int failed = 0;
            List<TraceMapDo.SubClientInfoDo> clients = new ArrayList<>(attempts.size());
            for (Attempt a : attempts) {
                ConsumeStatus status = a.status();
                if (status == ConsumeStatus.CONSUME_SUCCESS) {
                    success++;
                } else if (status == ConsumeStatus.CONSUME_FAILED) {
                    failed++;
                }
                clients.add(new TraceMapDo.SubClientInfoDo(group, a.clientHost(), a.start(), a.reconsumeTimes(),
                        a.costTime(), status.name()));
            }
            return new TraceMapDo.SubMapDo(group, success, failed, ItemList.of("SubClientInfoDo", clients));
        }
    }

    /** One delivery attempt: its DELIVERED event and/or its outcome (ACKED or CONSUME_FAILED). */
    private static final class Attempt {
        private final TraceEvent delivery;
        private TraceEvent outcome;

        private Attempt(TraceEvent delivery, TraceEvent outcome) {
            this.delivery = delivery;
            this.outcome = outcome;
        }

        static Attempt delivered(TraceEvent delivery) {
            return new Attempt(delivery, null);
        }

        static Attempt settledOnly(TraceEvent outcome) {
            return new Attempt(null, outcome);
        }

        boolean compatibleWith(TraceEvent o) {
            if (delivery == null) {
                return false;
            }
            return (delivery.reconsumeTimes() == null || o.reconsumeTimes() == null
                    || delivery.reconsumeTimes().equals(o.reconsumeTimes()))
                    && (delivery.clientId() == null || o.clientId() == null
                    || delivery.clientId().equals(o.clientId()));
        }

        /** SubTime: when the delivery started. */
        long start() {
            if (delivery != null) {
                return delivery.occurredAt();
            }
            if (outcome.deliveredAt() != null) {
                return outcome.deliveredAt();
            }
            return outcome.costMillis() != null ? outcome.occurredAt() - outcome.costMillis() : outcome.occurredAt();
        }

        Integer reconsumeTimes() {
            if (delivery != null && delivery.reconsumeTimes() != null) {
                return delivery.reconsumeTimes();
            }
            return outcome == null ? null : outcome.reconsumeTimes();
        }

        String clientHost() {
            if (delivery != null && delivery.clientHost() != null) {
                return delivery.clientHost();
            }
            return outcome == null ? null : outcome.clientHost();
        }

        /** CostTime: from the delivery to its outcome; none while the consumer has not answered. */
        Integer costTime() {
            if (outcome == null) {
                return null;
            }
            if (outcome.costMillis() != null) {
                return toInt(outcome.costMillis());
            }
            return toInt(Math.max(0, outcome.occurredAt() - start()));
        }

        ConsumeStatus status() {
            if (outcome == null) {
                return ConsumeStatus.CONSUME_NOT_RETURN;
            }
            return outcome.type() == ACKED ? ConsumeStatus.CONSUME_SUCCESS : ConsumeStatus.CONSUME_FAILED;
        }
    }

    private static String first(List<TraceEvent> events, java.util.function.Function<TraceEvent, String> field) {
        return events.stream().map(field).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static Integer toInt(Long value) {
        if (value == null) {
            return null;
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
