package io.openons.trace.query;

import static io.openons.contracts.event.MessageLifecycleEventType.COMMITTED;
import static io.openons.contracts.event.MessageLifecycleEventType.DELIVERABLE;
import static io.openons.contracts.event.MessageLifecycleEventType.HALF_PUBLISHED;
import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISHED;
import static io.openons.contracts.event.MessageLifecycleEventType.ROLLED_BACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.testsupport.InfraResource;
import io.openons.trace.Catalog;
import io.openons.trace.Lifecycle;
import io.openons.trace.TestKafka;
import io.openons.trace.TraceApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OnsTraceQueryByMsgId + OnsTraceGetResult over events published to Kafka as message-service publishes them. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class TraceByMsgIdTest {

    private String account;
    private String instance;
    private final String topic = "orders";

    @BeforeEach
    void resources() {
        account = TraceApi.newAccount();
        instance = Catalog.instance(account);
        Catalog.topic(account, instance, topic);
    }

    @Test
    void showsThePublicationAndEveryDeliveryOfBothGroupsWhateverTheEventOrder() {
        long t = System.currentTimeMillis() - 60_000;
        Lifecycle m = Lifecycle.message(account, instance, topic).keys("ORDER_1 CUSTOMER_9");
        MessageLifecycleEvent published = m.publish(PUBLISHED, t);
        List<MessageLifecycleEvent> events = new ArrayList<>(List.of(
                published,
                m.delivered("GID_ok", "okClient", 0, t + 100),
                m.acked("GID_ok", "okClient", 0, t + 100, t + 143),
                m.delivered("GID_retry", "retryClient", 0, t + 120),
                m.failed("GID_retry", "retryClient", 0, t + 120, t + 5_120),
                m.delivered("GID_retry", "retryClient", 1, t + 6_000),
                m.failed("GID_retry", "retryClient", 1, t + 6_000, t + 11_000),
                m.delivered("GID_retry", "retryClient", 2, t + 12_000),
                m.acked("GID_retry", "retryClient", 2, t + 12_000, t + 12_031)));
        // ACKED before its DELIVERED and the publication last, with an at-least-once duplicate of a CONSUME_FAILED
        // just before it; one partition keeps this order, so once the publication shows, everything is stored.
        java.util.Collections.reverse(events);
        MessageLifecycleEvent failedAgain = events.get(2);
        assertEquals("CONSUME_FAILED", failedAgain.type().name());
        events.add(events.size() - 1, failedAgain);
        TestKafka.lifecycle(events);

        // BeginTime in seconds, EndTime in milliseconds
        JsonPath result = TraceApi.awaitTrace(account, instance, topic, m.msgId(), (t - 3_600_000) / 1000,
                t + 3_600_000, r -> r.get("TraceData.TraceList.TraceMapDo[0].PubTime") != null, 20_000);

        assertEquals("finish", result.getString("TraceData.Status"));
        assertEquals(m.msgId(), result.getString("TraceData.MsgId"));
        assertNull(result.get("TraceData.MsgKey"), "a msg-id query has no key");
        assertEquals(instance, result.getString("TraceData.InstanceId"));
        assertEquals(topic, result.getString("TraceData.Topic"));
        assertEquals(account, result.getString("TraceData.UserId"));
        long created = result.getLong("TraceData.CreateTime");
        assertTrue(result.getLong("TraceData.UpdateTime") >= created);
        assertTrue(Math.abs(System.currentTimeMillis() - created) < 60_000, "CreateTime is the creation time");

        List<Map<String, Object>> traces = result.getList("TraceData.TraceList.TraceMapDo");
        assertEquals(1, traces.size());
        String trace = "TraceData.TraceList.TraceMapDo[0].";
        assertEquals(m.msgId(), result.getString(trace + "MsgId"));
        assertEquals("SEND_SUCCESS", result.getString(trace + "Status"));
        assertEquals(t - 2, result.getLong(trace + "PubTime"));
        assertEquals(2, result.getInt(trace + "CostTime"));
        assertEquals("192.168.0.7:40001", result.getString(trace + "BornHost"));
        assertEquals("TagA", result.getString(trace + "Tag"));
        assertEquals("ORDER_1 CUSTOMER_9", result.getString(trace + "MsgKey"));
        assertEquals(topic, result.getString(trace + "Topic"));
        assertNull(result.get(trace + "PubGroupName"), "an HTTP publication names no producer group");

        String ok = trace + "SubList.SubMapDo[0].";
        assertEquals("GID_ok", result.getString(ok + "SubGroupName"));
        assertEquals(1, result.getInt(ok + "SuccessCount"));
        assertEquals(0, result.getInt(ok + "FailCount"));
        assertEquals(1, result.getList(ok + "ClientList.SubClientInfoDo").size());
        assertEquals("CONSUME_SUCCESS", result.getString(ok + "ClientList.SubClientInfoDo[0].Status"));
        assertEquals(t + 100, result.getLong(ok + "ClientList.SubClientInfoDo[0].SubTime"));
        assertEquals(43, result.getInt(ok + "ClientList.SubClientInfoDo[0].CostTime"));
        assertEquals(0, result.getInt(ok + "ClientList.SubClientInfoDo[0].ReconsumeTimes"));
        assertEquals("okClient@10.1.1.1:6000", result.getString(ok + "ClientList.SubClientInfoDo[0].ClientHost"));
        assertEquals("GID_ok", result.getString(ok + "ClientList.SubClientInfoDo[0].SubGroupName"));

        String retry = trace + "SubList.SubMapDo[1].";
        assertEquals("GID_retry", result.getString(retry + "SubGroupName"));
        assertEquals(1, result.getInt(retry + "SuccessCount"));
        assertEquals(2, result.getInt(retry + "FailCount"), "the duplicated CONSUME_FAILED counts once");
        assertEquals(List.of("CONSUME_FAILED", "CONSUME_FAILED", "CONSUME_SUCCESS"),
                result.getList(retry + "ClientList.SubClientInfoDo.Status"));
        assertEquals(List.of(0, 1, 2), result.getList(retry + "ClientList.SubClientInfoDo.ReconsumeTimes"));
        assertEquals(List.of(5_000, 5_000, 31), result.getList(retry + "ClientList.SubClientInfoDo.CostTime"));
    }

    @Test
    void followsTheStatusOfTransactionalAndDelayedMessages() {
        long t = System.currentTimeMillis() - 30_000;
        Lifecycle committed = Lifecycle.message(account, instance, topic, 4);
        Lifecycle rolledBack = Lifecycle.message(account, instance, topic, 4);
        Lifecycle undecided = Lifecycle.message(account, instance, topic, 4);
        Lifecycle delayed = Lifecycle.message(account, instance, topic, 5);
        Lifecycle due = Lifecycle.message(account, instance, topic, 5);
        TestKafka.lifecycle(
                committed.publish(HALF_PUBLISHED, t), committed.plain(COMMITTED, t + 10),
                rolledBack.publish(HALF_PUBLISHED, t), rolledBack.plain(ROLLED_BACK, t + 10),
                undecided.publish(HALF_PUBLISHED, t),
                delayed.delayed(t, t + 3_600_000),
                due.delayed(t, t + 1_000), due.plain(DELIVERABLE, t + 1_000));

        awaitSendStatus(committed.msgId(), t, "SEND_SUCCESS");
        awaitSendStatus(rolledBack.msgId(), t, "SEND_ROLLBACK");
        awaitSendStatus(undecided.msgId(), t, "SEND_UNKNOWN");
        awaitSendStatus(delayed.msgId(), t, "SEND_DELAY");
        awaitSendStatus(due.msgId(), t, "SEND_SUCCESS");

        JsonPath tx = TraceApi.awaitTrace(account, instance, topic, committed.msgId(), t - 60_000, t + 60_000,
                r -> true, 5_000);
        assertEquals("GID_tx_producer", tx.getString("TraceData.TraceList.TraceMapDo[0].PubGroupName"));
        assertEquals(List.of(), tx.getList("TraceData.TraceList.TraceMapDo[0].SubList.SubMapDo"),
                "no consumption yet: an empty group list");
    }

    @Test
    void aMessagePublishedOutsideTheRangeIsNotInTheResult() {
        long t = System.currentTimeMillis() - 10_000;
        Lifecycle m = Lifecycle.message(account, instance, topic);
        TestKafka.lifecycle(m.publish(PUBLISHED, t));
        // visible in a range around its publication...
        TraceApi.awaitTrace(account, instance, topic, m.msgId(), t - 1_000, t + 1_000,
                r -> r.getList("TraceData.TraceList.TraceMapDo").size() == 1, 20_000);
        // ...not in one that ends before it (PubTime = t - 2)
        JsonPath before = TraceApi.awaitFinished(account,
                TraceApi.queryByMsgId(account, instance, topic, m.msgId(), t - 60_000, t - 3), 10_000);
        assertEquals(List.of(), before.getList("TraceData.TraceList.TraceMapDo"));
        // an unknown message finishes with an empty list too
        JsonPath unknown = TraceApi.awaitFinished(account, TraceApi.queryByMsgId(account, instance, topic,
                Lifecycle.newMsgId(), t - 60_000, t + 60_000), 10_000);
        assertEquals(List.of(), unknown.getList("TraceData.TraceList.TraceMapDo"));
        assertFalse(unknown.getString("TraceData.QueryId").isBlank());
    }

    private void awaitSendStatus(String msgId, long t, String expected) {
        JsonPath r = TraceApi.awaitTrace(account, instance, topic, msgId, t - 60_000, t + 60_000,
                p -> expected.equals(p.getString("TraceData.TraceList.TraceMapDo[0].Status")), 20_000);
        assertEquals(1, r.getList("TraceData.TraceList.TraceMapDo").size());
    }
}
