package io.openons.e2e.trace;

import static io.openons.contracts.event.MessageLifecycleEventType.COMMITTED;
import static io.openons.contracts.event.MessageLifecycleEventType.DELIVERABLE;
import static io.openons.contracts.event.MessageLifecycleEventType.HALF_PUBLISHED;
import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISHED;
import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISH_FAILED;
import static io.openons.contracts.event.MessageLifecycleEventType.ROLLED_BACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.ons.model.v20190214.OnsTraceGetResultResponse.TraceData;
import com.aliyuncs.ons.model.v20190214.OnsTraceGetResultResponse.TraceData.TraceMapDo;
import com.aliyuncs.ons.model.v20190214.OnsTraceGetResultResponse.TraceData.TraceMapDo.SubMapDo;
import com.aliyuncs.ons.model.v20190214.OnsTraceGetResultResponse.TraceData.TraceMapDo.SubMapDo.SubClientInfoDo;
import io.openons.e2e.Fixtures;
import io.openons.e2e.Names;
import io.openons.e2e.OnsApi;
import io.openons.e2e.Suite;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trace Actions through the gateway with the official ONS SDK, in JSON and XML, over lifecycle events
 * published on Kafka exactly as message-service publishes them: every field the SDK reads, every status.
 * (MessageTraceE2ETest drives the same Actions with real messages of the official mq-http-sdk.)
 */
class TraceActionsE2ETest {

    private static OnsApi account;
    private static String instance;
    private static TraceEvents kafka;

    @BeforeAll
    static void resources() throws Exception {
        account = OnsApi.newAccount(Suite.get(), "trace-actions");
        instance = Fixtures.instance(account);
        kafka = new TraceEvents(Suite.get());
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    private static OnsApi api(String format) {
        return "XML".equals(format) ? account.xml() : account;
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void aMessageConsumedByTwoGroupsOneFailingTwiceThenSucceeding(String format) throws Exception {
        OnsApi api = api(format);
        String topic = Names.unique("trace");
        Fixtures.topic(api, instance, topic, 0);
        long t = System.currentTimeMillis() - 120_000;
        TraceEvents.Message m = new TraceEvents.Message(api.accountId(), instance, topic, 0, "ORDER_42");
        kafka.send(
                m.acked("GID_ok", "ok-1", 0, t + 50, t + 90), // before its delivery: order does not matter
                m.publish(PUBLISHED, t, null),
                m.delivered("GID_ok", "ok-1", 0, t + 50),
                m.delivered("GID_retry", "retry-1", 0, t + 60),
                m.failed("GID_retry", "retry-1", 0, t + 60, t + 30_060),
                m.delivered("GID_retry", "retry-1", 1, t + 40_000),
                m.failed("GID_retry", "retry-1", 1, t + 40_000, t + 70_000),
                m.delivered("GID_retry", "retry-1", 2, t + 80_000),
                m.acked("GID_retry", "retry-1", 2, t + 80_000, t + 80_012));

        // BeginTime in seconds (as in the API reference's example), EndTime in milliseconds
        TraceData data = TraceQueries.awaitTrace(api, instance, topic, m.msgId(), (t - 600_000) / 1000,
                System.currentTimeMillis() + 60_000,
                d -> d.getTraceList().size() == 1 && d.getTraceList().get(0).getSubList().size() == 2
                        && d.getTraceList().get(0).getSubList().get(1).getSuccessCount() == 1, 30_000);

        assertEquals("finish", data.getStatus());
        assertEquals(m.msgId(), data.getMsgId());
        assertNull(data.getMsgKey());
        assertEquals(instance, data.getInstanceId());
        assertEquals(topic, data.getTopic());
        assertEquals(api.accountId(), data.getUserId());
        assertNotNull(data.getQueryId());
        assertTrue(data.getUpdateTime() >= data.getCreateTime());

        TraceMapDo trace = data.getTraceList().get(0);
        assertEquals(m.msgId(), trace.getMsgId());
        assertEquals("SEND_SUCCESS", trace.getStatus());
        assertEquals(t - 3, trace.getPubTime());
        assertEquals(3, trace.getCostTime());
        assertEquals("10.0.0.8:51000", trace.getBornHost());
        assertEquals("TagA", trace.getTag());
        assertEquals("ORDER_42", trace.getMsgKey());
        assertEquals(topic, trace.getTopic());
        assertNull(trace.getPubGroupName());

        SubMapDo ok = trace.getSubList().get(0);
        assertEquals("GID_ok", ok.getSubGroupName());
        assertEquals(1, ok.getSuccessCount());
        assertEquals(0, ok.getFailCount());
        SubClientInfoDo okAttempt = ok.getClientList().get(0);
        assertEquals("CONSUME_SUCCESS", okAttempt.getStatus());
        assertEquals(t + 50, okAttempt.getSubTime());
        assertEquals(40, okAttempt.getCostTime());
        assertEquals(0, okAttempt.getReconsumeTimes());
        assertEquals("GID_ok", okAttempt.getSubGroupName());
        assertTrue(okAttempt.getClientHost().startsWith("10.0.1."), okAttempt.getClientHost());

        SubMapDo retry = trace.getSubList().get(1);
        assertEquals("GID_retry", retry.getSubGroupName());
        assertEquals(1, retry.getSuccessCount());
        assertEquals(2, retry.getFailCount());
        assertEquals(List.of("CONSUME_FAILED", "CONSUME_FAILED", "CONSUME_SUCCESS"),
                retry.getClientList().stream().map(SubClientInfoDo::getStatus).toList());
        assertEquals(List.of(0, 1, 2), retry.getClientList().stream().map(SubClientInfoDo::getReconsumeTimes).toList());
        assertEquals(List.of(t + 60, t + 40_000, t + 80_000),
                retry.getClientList().stream().map(SubClientInfoDo::getSubTime).toList());
        assertEquals(List.of(30_000, 30_000, 12),
                retry.getClientList().stream().map(SubClientInfoDo::getCostTime).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void everyPublishAndConsumeStatus(String format) throws Exception {
        OnsApi api = api(format);
        String topic = Names.unique("status");
        Fixtures.topic(api, instance, topic, 0);
        long t = System.currentTimeMillis() - 60_000;
        TraceEvents.Message sent = new TraceEvents.Message(api.accountId(), instance, topic, 0, null);
        TraceEvents.Message failed = new TraceEvents.Message(api.accountId(), instance, topic, 0, null);
        TraceEvents.Message rolledBack = new TraceEvents.Message(api.accountId(), instance, topic, 4, null);
        TraceEvents.Message undecided = new TraceEvents.Message(api.accountId(), instance, topic, 4, null);
        TraceEvents.Message committed = new TraceEvents.Message(api.accountId(), instance, topic, 4, null);
        TraceEvents.Message delayed = new TraceEvents.Message(api.accountId(), instance, topic, 5, null);
        TraceEvents.Message delivered = new TraceEvents.Message(api.accountId(), instance, topic, 5, null);
        kafka.send(
                sent.publish(PUBLISHED, t, null), sent.delivered("GID_s", "c-1", 0, t + 10),
                failed.publish(PUBLISH_FAILED, t, null),
                rolledBack.publish(HALF_PUBLISHED, t, "GID_tx"), rolledBack.plain(ROLLED_BACK, t + 20),
                undecided.publish(HALF_PUBLISHED, t, "GID_tx"),
                committed.publish(HALF_PUBLISHED, t, "GID_tx"), committed.plain(COMMITTED, t + 20),
                delayed.delayed(t, t + 3_600_000),
                delivered.delayed(t, t + 1_000), delivered.plain(DELIVERABLE, t + 1_000));

        // the delivery reaches trace-service with or after the publication: wait for both
        TraceMapDo s = TraceQueries.awaitTrace(api, instance, topic, sent.msgId(), t - 60_000, t + 60_000,
                d -> "SEND_SUCCESS".equals(d.getTraceList().get(0).getStatus())
                        && d.getTraceList().get(0).getSubList().size() == 1, 30_000).getTraceList().get(0);
        SubClientInfoDo notReturned = s.getSubList().get(0).getClientList().get(0);
        assertEquals("CONSUME_NOT_RETURN", notReturned.getStatus());
        assertNull(notReturned.getCostTime());
        assertEquals(0, s.getSubList().get(0).getSuccessCount());
        assertEquals(0, s.getSubList().get(0).getFailCount());
        awaitStatus(api, topic, failed.msgId(), t, "SEND_FAILED");
        assertEquals("GID_tx", awaitStatus(api, topic, rolledBack.msgId(), t, "SEND_ROLLBACK").getPubGroupName());
        awaitStatus(api, topic, undecided.msgId(), t, "SEND_UNKNOWN");
        awaitStatus(api, topic, committed.msgId(), t, "SEND_SUCCESS");
        TraceMapDo waiting = awaitStatus(api, topic, delayed.msgId(), t, "SEND_DELAY");
        assertEquals(0, waiting.getSubList().size());
        awaitStatus(api, topic, delivered.msgId(), t, "SEND_SUCCESS");
    }

    private static TraceMapDo awaitStatus(OnsApi api, String topic, String msgId, long t, String status)
            throws Exception {
        return TraceQueries.awaitTrace(api, instance, topic, msgId, t - 60_000, t + 60_000,
                d -> d.getTraceList().size() == 1 && status.equals(d.getTraceList().get(0).getStatus()), 30_000)
                .getTraceList().get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void aKeyQueryAnswersEveryMessageWithTheKeyInTheRange(String format) throws Exception {
        OnsApi api = api(format);
        String topic = Names.unique("keys");
        Fixtures.topic(api, instance, topic, 0);
        long t = System.currentTimeMillis() - 60_000;
        TraceEvents.Message a = new TraceEvents.Message(api.accountId(), instance, topic, 0, "K1");
        TraceEvents.Message b = new TraceEvents.Message(api.accountId(), instance, topic, 0, "K0 K1");
        TraceEvents.Message outside = new TraceEvents.Message(api.accountId(), instance, topic, 0, "K1");
        kafka.send(b.publish(PUBLISHED, t + 20, null), a.publish(PUBLISHED, t + 10, null),
                outside.publish(PUBLISHED, t - 500_000, null));

        long deadline = System.currentTimeMillis() + 30_000;
        TraceData data;
        do {
            data = TraceQueries.awaitFinished(api, TraceQueries.byMsgKey(api, instance, topic, "K1", t - 1_000,
                    t + 1_000), 15_000);
        } while (data.getTraceList().size() < 2 && System.currentTimeMillis() < deadline);
        assertEquals(List.of(a.msgId(), b.msgId()), data.getTraceList().stream().map(TraceMapDo::getMsgId).toList());
        assertEquals("K1", data.getMsgKey());
        assertNull(data.getMsgId());
        assertEquals("K0 K1", data.getTraceList().get(1).getMsgKey());
    }

    @Test
    void parameterAndOwnershipErrorsSayWhatToFix() throws Exception {
        String topic = Names.unique("errors");
        Fixtures.topic(account, instance, topic, 0);
        String msgId = TraceEvents.newMsgId();
        long now = System.currentTimeMillis();

        ClientException range = assertThrows(ClientException.class,
                () -> TraceQueries.byMsgId(account, instance, topic, msgId, now, now - 1_000));
        assertEquals("BIZ_FIELD_CHECK_INVALID", range.getErrCode());
        assertTrue(range.getErrMsg().contains("BeginTime must not be after EndTime"), range.getErrMsg());

        ClientException key = assertThrows(ClientException.class,
                () -> TraceQueries.byMsgKey(account, instance, topic, "A B", now - 1_000, now));
        assertEquals("InvalidParameter", key.getErrCode());

        assertEquals("BIZ_TOPIC_NOT_FOUND", assertThrows(ClientException.class,
                () -> TraceQueries.byMsgId(account, instance, "no-such-topic", msgId, now - 1_000, now)).getErrCode());

        OnsApi stranger = OnsApi.newAccount(Suite.get(), "trace-stranger");
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", assertThrows(ClientException.class,
                () -> TraceQueries.byMsgId(stranger, instance, topic, msgId, now - 1_000, now)).getErrCode());

        String queryId = TraceQueries.byMsgId(account, instance, topic, msgId, now - 1_000, now);
        TraceQueries.awaitFinished(account, queryId, 15_000);
        ClientException foreign = assertThrows(ClientException.class, () -> TraceQueries.result(stranger, queryId));
        ClientException missing = assertThrows(ClientException.class,
                () -> TraceQueries.result(stranger, TraceEvents.newMsgId()));
        assertEquals("BIZ_TRACE_QUERY_NOT_FOUND", foreign.getErrCode());
        assertEquals(missing.getErrCode(), foreign.getErrCode());
        assertNotNull(foreign.getRequestId());
    }
}
