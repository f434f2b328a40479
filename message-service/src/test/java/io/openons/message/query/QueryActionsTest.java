package io.openons.message.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.messaging.PublishReceipt;
import io.openons.message.support.Api;
import io.openons.message.support.Flow;
import io.openons.message.support.TestResources;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message-query Actions on the internal operation API, from the index. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class QueryActionsTest {

    private static final String ACCOUNT = "1000000000000202";

    private static Response call(String action, Map<String, Object> params) {
        return Api.operation(ACCOUNT, action, params);
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void answersFromTheIndex() throws Exception {
        String instance = TestResources.newInstance(ACCOUNT);
        String topic = TestResources.unique("q");
        TestResources.newTopic(ACCOUNT, instance, topic, 0, 6);
        Flow flow = new Flow(ACCOUNT, instance, topic);
        long begin = System.currentTimeMillis() - 1;
        List<PublishReceipt> sent = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sent.add(flow.publish("body " + i, "T" + i, Map.of("KEYS", i < 2 ? "dup two" : "single" + i)));
        }
        long end = System.currentTimeMillis() + 1;
        long deadline = System.currentTimeMillis() + 15_000;
        Response status;
        do {
            Thread.sleep(100);
            status = call("OnsTopicStatus", params("InstanceId", instance, "Topic", topic));
        } while (status.jsonPath().getLong("Data.TotalCount") < 7 && System.currentTimeMillis() < deadline);
        assertEquals(7L, status.jsonPath().getLong("Data.TotalCount"));
        assertEquals(6, status.jsonPath().getInt("Data.Perm"));
        assertTrue(status.jsonPath().getLong("Data.LastTimeStamp") >= begin);

        Response byId = call("OnsMessageGetByMsgId", params("InstanceId", instance, "Topic", topic, "MsgId",
                sent.get(3).msgId()));
        assertEquals(200, byId.statusCode(), byId.asString());
        assertEquals("body 3", byId.jsonPath().getString("Data.Body"));
        assertEquals(sent.get(3).offset(), Long.parseLong(byId.jsonPath().getString("Data.OffsetId").substring(16), 16));
        assertEquals("T3", byId.jsonPath().getString("Data.PropertyList.MessageProperty.find { it.Name == 'TAGS' }.Value"));
        assertEquals("127.0.0.1:1234", byId.jsonPath().getString("Data.BornHost"));

        Response byKey = call("OnsMessageGetByKey", params("InstanceId", instance, "Topic", topic, "Key", "two"));
        assertEquals(new HashSet<>(List.of(sent.get(0).msgId(), sent.get(1).msgId())),
                new HashSet<>(byKey.jsonPath().getList("Data.OnsRestMessageDo.MsgId")), "one of several keys");

        Response first = call("OnsMessagePageQueryByTopic", params("InstanceId", instance, "Topic", topic,
                "BeginTime", begin, "EndTime", end, "PageSize", 5, "CurrentPage", 1));
        assertEquals(2, first.jsonPath().getInt("MsgFoundDo.MaxPageCount"));
        String task = first.jsonPath().getString("MsgFoundDo.TaskId");
        Response second = call("OnsMessagePageQueryByTopic", params("InstanceId", instance, "Topic", topic,
                "TaskId", task, "CurrentPage", 2));
        List<String> ids = new ArrayList<>(first.jsonPath().getList("MsgFoundDo.MsgFoundList.OnsRestMessageDo.MsgId"));
        ids.addAll(second.jsonPath().getList("MsgFoundDo.MsgFoundList.OnsRestMessageDo.MsgId"));
        assertEquals(sent.stream().map(PublishReceipt::msgId).toList().stream().sorted().toList(),
                ids.stream().sorted().toList());

        assertEquals("BIZ_NO_MESSAGE", call("OnsMessageGetByMsgId", params("InstanceId", instance, "Topic", topic,
                "MsgId", "F".repeat(32))).jsonPath().getString("Code"));
        assertEquals("BIZ_FIELD_CHECK_INVALID", call("OnsMessagePageQueryByTopic", params("InstanceId", instance,
                "Topic", topic, "TaskId", task, "CurrentPage", 3)).jsonPath().getString("Code"));
        assertEquals("BIZ_FIELD_CHECK_INVALID", call("OnsMessagePageQueryByTopic", params("InstanceId", instance,
                "Topic", topic, "BeginTime", begin, "EndTime", end, "PageSize", 51)).jsonPath().getString("Code"));
        assertEquals("MissingParameter", call("OnsMessagePageQueryByTopic", params("InstanceId", instance,
                "Topic", topic, "EndTime", end)).jsonPath().getString("Code"));
        Response foreign = Api.operation("1000000000000999", "OnsMessageGetByMsgId", params("InstanceId", instance,
                "Topic", topic, "MsgId", sent.get(0).msgId()));
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", foreign.jsonPath().getString("Code"));
    }
}
