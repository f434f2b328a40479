package io.openons.trace.query;

import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.openons.testsupport.InfraResource;
import io.openons.trace.Catalog;
import io.openons.trace.Lifecycle;
import io.openons.trace.TestKafka;
import io.openons.trace.TraceApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OnsTraceQueryByMsgKey: every message of the topic with the key, published within the range, earliest first. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class TraceByMsgKeyTest {

    @Test
    void findsEveryMessageWithTheKeyInTheRangeAndNothingElse() {
        String account = TraceApi.newAccount();
        String instance = Catalog.instance(account);
        Catalog.topic(account, instance, "payments");
        Catalog.topic(account, instance, "refunds");
        long t = System.currentTimeMillis() - 600_000;

        Lifecycle first = Lifecycle.message(account, instance, "payments").keys("ORDER_7");
        Lifecycle second = Lifecycle.message(account, instance, "payments").keys("CUSTOMER_1 ORDER_7");
        Lifecycle third = Lifecycle.message(account, instance, "payments").keys("ORDER_7");
        Lifecycle tooEarly = Lifecycle.message(account, instance, "payments").keys("ORDER_7");
        Lifecycle otherKey = Lifecycle.message(account, instance, "payments").keys("ORDER_8");
        Lifecycle otherTopic = Lifecycle.message(account, instance, "refunds").keys("ORDER_7");
        TestKafka.lifecycle(
                third.publish(PUBLISHED, t + 3_000), first.publish(PUBLISHED, t + 1_000),
                second.publish(PUBLISHED, t + 2_000), tooEarly.publish(PUBLISHED, t - 100_000),
                otherKey.publish(PUBLISHED, t + 1_500), otherTopic.publish(PUBLISHED, t + 1_500),
                first.delivered("GID_pay", "c1", 0, t + 1_100), first.acked("GID_pay", "c1", 0, t + 1_100, t + 1_150));

        String queryId = null;
        JsonPath result = null;
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            // BeginTime in seconds, EndTime in milliseconds
            queryId = TraceApi.queryByMsgKey(account, instance, "payments", "ORDER_7", (t - 1_000) / 1000,
                    t + 10_000);
            result = TraceApi.awaitFinished(account, queryId, 10_000);
            if (result.getList("TraceData.TraceList.TraceMapDo").size() == 3
                    && result.getInt("TraceData.TraceList.TraceMapDo[0].SubList.SubMapDo.size()") == 1) {
                break;
            }
            TraceApi.sleep(100);
        }
        assertEquals(List.of(first.msgId(), second.msgId(), third.msgId()),
                result.getList("TraceData.TraceList.TraceMapDo.MsgId"));
        assertEquals(List.of(t + 998, t + 1_998, t + 2_998),
                result.getList("TraceData.TraceList.TraceMapDo.PubTime", Long.class));
        assertEquals("ORDER_7", result.getString("TraceData.MsgKey"));
        assertNull(result.get("TraceData.MsgId"), "a key query has no message id");
        assertEquals(queryId, result.getString("TraceData.QueryId"));
        assertEquals("CUSTOMER_1 ORDER_7", result.getString("TraceData.TraceList.TraceMapDo[1].MsgKey"));
        assertEquals(1, result.getInt("TraceData.TraceList.TraceMapDo[0].SubList.SubMapDo[0].SuccessCount"));

        JsonPath byOtherKeyOfSecond = TraceApi.awaitFinished(account, TraceApi.queryByMsgKey(account, instance,
                "payments", "CUSTOMER_1", t - 1_000, t + 10_000), 10_000);
        assertEquals(List.of(second.msgId()), byOtherKeyOfSecond.getList("TraceData.TraceList.TraceMapDo.MsgId"));
    }
}
