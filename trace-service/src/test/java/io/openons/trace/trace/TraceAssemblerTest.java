package io.openons.trace.trace;

import static io.openons.contracts.event.MessageLifecycleEventType.COMMITTED;
import static io.openons.contracts.event.MessageLifecycleEventType.DEAD_LETTERED;
import static io.openons.contracts.event.MessageLifecycleEventType.DELIVERABLE;
import static io.openons.contracts.event.MessageLifecycleEventType.HALF_PUBLISHED;
import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISHED;
import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISH_FAILED;
import static io.openons.contracts.event.MessageLifecycleEventType.ROLLED_BACK;
import static io.openons.trace.trace.Events.acked;
import static io.openons.trace.trace.Events.delayed;
import static io.openons.trace.trace.Events.delivered;
import static io.openons.trace.trace.Events.failed;
import static io.openons.trace.trace.Events.plain;
import static io.openons.trace.trace.Events.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceAssemblerTest {

    private static final long T = 1_700_000_000_000L;

    private static SendStatus status(TraceEvent... events) {
        return TraceAssembler.sendStatus(List.of(events));
    }

    @Test
    void publishedMessageIsSendSuccess() {
        assertEquals(SendStatus.SEND_SUCCESS, status(publish(PUBLISHED, T)));
    }

    @Test
    void halfMessageIsUnknownUntilCommittedOrDelivered() {
        TraceEvent half = publish(HALF_PUBLISHED, T);
        assertEquals(SendStatus.SEND_UNKNOWN, status(half));
        assertEquals(SendStatus.SEND_SUCCESS, status(half, plain(COMMITTED, T + 10)));
        // the COMMITTED event may not be stored yet while its delivery already is
        assertEquals(SendStatus.SEND_SUCCESS, status(half, delivered("GID_a", "c1", 0, T + 20)));
        // committed before the half message's own event arrived
        assertEquals(SendStatus.SEND_SUCCESS, status(plain(COMMITTED, T + 10)));
    }

    @Test
    void rollbackIsFinalWhateverTheOrder() {
        TraceEvent half = publish(HALF_PUBLISHED, T);
        assertEquals(SendStatus.SEND_ROLLBACK, status(half, plain(ROLLED_BACK, T + 10)));
        assertEquals(SendStatus.SEND_ROLLBACK, status(plain(ROLLED_BACK, T + 10), half));
        assertEquals(SendStatus.SEND_ROLLBACK, status(plain(ROLLED_BACK, T + 10)));
    }

    @Test
    void delayedMessageIsSendDelayUntilDeliverableOrFirstDelivery() {
        TraceEvent delayed = delayed(T, T + 60_000);
        assertEquals(SendStatus.SEND_DELAY, status(delayed));
        assertEquals(SendStatus.SEND_SUCCESS, status(delayed, plain(DELIVERABLE, T + 60_000)));
        assertEquals(SendStatus.SEND_SUCCESS, status(delayed, delivered("GID_a", "c1", 0, T + 60_001)));
    }

    @Test
    void failedPublishIsSendFailedUnlessTheMessageWasStoredAfterAll() {
        TraceEvent failedPublish = publish(PUBLISH_FAILED, T);
        assertEquals(SendStatus.SEND_FAILED, status(failedPublish));
        assertEquals(SendStatus.SEND_SUCCESS, status(failedPublish, publish(PUBLISHED, T + 5)));
    }

    @Test
    void noEventsSayNothingAboutThePublication() {
        assertNull(TraceAssembler.sendStatus(List.of()));
    }

    @Test
    void twoGroupsOneSucceedingOneFailingTwiceThenSucceeding() {
        List<TraceEvent> events = List.of(
                publish(PUBLISHED, T),
                delivered("GID_ok", "okClient", 0, T + 100),
                acked("GID_ok", "okClient", 0, T + 100, T + 140),
                delivered("GID_retry", "retryClient", 0, T + 110),
                failed("GID_retry", "retryClient", 0, T + 110, T + 5_110),
                delivered("GID_retry", "retryClient", 1, T + 6_000),
                failed("GID_retry", "retryClient", 1, T + 6_000, T + 11_000),
                delivered("GID_retry", "retryClient", 2, T + 12_000),
                acked("GID_retry", "retryClient", 2, T + 12_000, T + 12_025));

        TraceAssembler.MessageTrace assembled = TraceAssembler.assemble(Events.MSG, Events.TOPIC, events);
        TraceMapDo trace = assembled.trace();
        assertEquals(Events.MSG, trace.msgId());
        assertEquals("SEND_SUCCESS", trace.status());
        assertEquals(T - 3, trace.pubTime());
        assertEquals(T - 3, assembled.messageTime());
        assertEquals(7, trace.costTime());
        assertEquals("10.0.0.1:5555", trace.bornHost());
        assertEquals("GID_producer", trace.pubGroupName());
        assertEquals("TagA", trace.tag());
        assertEquals("ORDER_1", trace.msgKey());

        List<TraceMapDo.SubMapDo> groups = trace.subList().items();
        assertEquals(List.of("GID_ok", "GID_retry"), groups.stream().map(TraceMapDo.SubMapDo::subGroupName).toList());
        TraceMapDo.SubMapDo ok = groups.get(0);
        assertEquals(1, ok.successCount());
        assertEquals(0, ok.failCount());
        TraceMapDo.SubClientInfoDo okAttempt = ok.clientList().items().get(0);
        assertEquals("CONSUME_SUCCESS", okAttempt.status());
        assertEquals(T + 100, okAttempt.subTime());
        assertEquals(40, okAttempt.costTime());
        assertEquals(0, okAttempt.reconsumeTimes());
        assertEquals("okClient-host:7000", okAttempt.clientHost());
        assertEquals("GID_ok", okAttempt.subGroupName());

        TraceMapDo.SubMapDo retry = groups.get(1);
        assertEquals(1, retry.successCount());
        assertEquals(2, retry.failCount());
        List<TraceMapDo.SubClientInfoDo> attempts = retry.clientList().items();
        assertEquals(List.of("CONSUME_FAILED", "CONSUME_FAILED", "CONSUME_SUCCESS"),
                attempts.stream().map(TraceMapDo.SubClientInfoDo::status).toList());
        assertEquals(List.of(0, 1, 2), attempts.stream().map(TraceMapDo.SubClientInfoDo::reconsumeTimes).toList());
        assertEquals(List.of(T + 110, T + 6_000, T + 12_000),
                attempts.stream().map(TraceMapDo.SubClientInfoDo::subTime).toList());
        assertEquals(List.of(5_000, 5_000, 25), attempts.stream().map(TraceMapDo.SubClientInfoDo::costTime).toList());
    }

    @Test
    void theTraceDoesNotDependOnTheOrderTheEventsArrivedIn() {
        List<TraceEvent> events = new ArrayList<>(List.of(
                publish(PUBLISHED, T),
                delivered("GID_a", "c1", 0, T + 100),
                failed("GID_a", "c1", 0, T + 100, T + 300),
                delivered("GID_a", "c1", 1, T + 400),
                acked("GID_a", "c1", 1, T + 400, T + 420),
                delivered("GID_b", "c2", 0, T + 150)));
        TraceMapDo expected = TraceAssembler.assemble(Events.MSG, Events.TOPIC, events).trace();
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            Collections.shuffle(events, random);
            assertEquals(expected, TraceAssembler.assemble(Events.MSG, Events.TOPIC, events).trace());
        }
    }

    @Test
    void aDeliveryWithoutAnswerIsNotReturnedAndCountsNeitherWay() {
        TraceMapDo.SubMapDo group = TraceAssembler.consumption(List.of(delivered("GID_a", "c1", 0, T))).get(0);
        TraceMapDo.SubClientInfoDo attempt = group.clientList().items().get(0);
        assertEquals("CONSUME_NOT_RETURN", attempt.status());
        assertNull(attempt.costTime());
        assertEquals(0, group.successCount());
        assertEquals(0, group.failCount());
    }

    @Test
    void anOutcomeWhoseDeliveryWasNeverRecordedStillCounts() {
        TraceMapDo.SubMapDo group = TraceAssembler.consumption(List.of(acked("GID_a", "c1", 3, T, T + 30))).get(0);
        TraceMapDo.SubClientInfoDo attempt = group.clientList().items().get(0);
        assertEquals("CONSUME_SUCCESS", attempt.status());
        assertEquals(T, attempt.subTime());
        assertEquals(30, attempt.costTime());
        assertEquals(3, attempt.reconsumeTimes());
        assertEquals(1, group.successCount());
    }

    @Test
    void aSecondOutcomeOfTheSameAttemptDoesNotChangeIt() {
        List<TraceEvent> events = List.of(delivered("GID_a", "c1", 0, T), failed("GID_a", "c1", 0, T, T + 300),
                acked("GID_a", "c1", 0, T, T + 400));
        TraceMapDo.SubMapDo group = TraceAssembler.consumption(events).get(0);
        assertEquals(1, group.clientList().items().size());
        assertEquals("CONSUME_FAILED", group.clientList().items().get(0).status());
        assertEquals(0, group.successCount());
        assertEquals(1, group.failCount());
    }

    @Test
    void outcomesWithoutDeliveryTimeSettleTheLatestDeliveryBeforeThem() {
        TraceEvent d0 = Events.from(delivered("GID_a", "x", 0, T)).reconsume(null).client(null).build();
        TraceEvent d1 = Events.from(delivered("GID_a", "x", 0, T + 1_000)).reconsume(null).client(null).build();
        TraceEvent f0 = Events.from(failed("GID_a", "x", 0, T, T + 500)).reconsume(null).client(null)
                .deliveredAt(null).build();
        TraceEvent a1 = Events.from(acked("GID_a", "x", 0, T, T + 1_200)).reconsume(null).client(null)
                .deliveredAt(null).build();
        List<TraceMapDo.SubClientInfoDo> attempts = TraceAssembler.consumption(List.of(a1, d1, f0, d0)).get(0)
                .clientList().items();
        assertEquals(List.of("CONSUME_FAILED", "CONSUME_SUCCESS"),
                attempts.stream().map(TraceMapDo.SubClientInfoDo::status).toList());
        assertEquals(List.of(T, T + 1_000), attempts.stream().map(TraceMapDo.SubClientInfoDo::subTime).toList());
    }

    @Test
    void deadLetteringAddsNoAttemptButShowsTheMessageWasStored() {
        List<TraceEvent> events = List.of(delivered("GID_a", "c1", 0, T), failed("GID_a", "c1", 0, T, T + 10),
                Events.from(plain(DEAD_LETTERED, T + 11)).group("GID_a").build());
        TraceMapDo trace = TraceAssembler.assemble(Events.MSG, Events.TOPIC, events).trace();
        assertEquals("SEND_SUCCESS", trace.status());
        assertNull(trace.pubTime(), "no publish record was received");
        assertEquals(1, trace.subList().items().get(0).clientList().items().size());
    }

    @Test
    void theSuccessfulPublicationCarriesThePublishRecord() {
        TraceEvent failedPublish = Events.from(publish(PUBLISH_FAILED, T)).bornHost("10.9.9.9:1").build();
        TraceEvent published = publish(PUBLISHED, T + 50);
        TraceMapDo trace = TraceAssembler.assemble(Events.MSG, Events.TOPIC, List.of(failedPublish, published))
                .trace();
        assertEquals("10.0.0.1:5555", trace.bornHost());
        assertEquals(T + 47, trace.pubTime());
    }

    @Test
    void aMessageWithoutPublishRecordIsPlacedAtItsFirstEvent() {
        TraceAssembler.MessageTrace trace = TraceAssembler.assemble(Events.MSG, Events.TOPIC,
                List.of(acked("GID_a", "c1", 0, T, T + 30), delivered("GID_a", "c1", 0, T)));
        assertEquals(T, trace.messageTime());
        assertNull(trace.trace().pubTime());
        assertNull(trace.trace().bornHost());
    }
}
