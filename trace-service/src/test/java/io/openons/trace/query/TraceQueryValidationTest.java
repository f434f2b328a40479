package io.openons.trace.query;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openons.testsupport.InfraResource;
import io.openons.trace.Catalog;
import io.openons.trace.TraceApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every parameter of the trace Actions is checked, with a code and a message that say what to fix. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class TraceQueryValidationTest {

    private String account;
    private String instance;

    @BeforeEach
    void resources() {
        account = TraceApi.newAccount();
        instance = Catalog.instance(account);
        Catalog.topic(account, instance, "checked");
    }

    private Map<String, Object> byId() {
        Map<String, Object> p = new HashMap<>();
        p.put("InstanceId", instance);
        p.put("Topic", "checked");
        p.put("MsgId", "0A0B0C0D0E0F00000000000000000001");
        p.put("BeginTime", 1570852800L);
        p.put("EndTime", 1570968000L);
        return p;
    }

    @Test
    void requiresEveryParameter() {
        for (String name : new String[] {"InstanceId", "Topic", "MsgId", "BeginTime", "EndTime"}) {
            Map<String, Object> p = byId();
            p.remove(name);
            TraceApi.call(account, "OnsTraceQueryByMsgId", p).statusCode(400)
                    .body("Code", equalTo("MissingParameter"))
                    .body("Message", containsString("\"" + name + "\""));
        }
        Map<String, Object> byKey = byId();
        byKey.remove("MsgId");
        TraceApi.call(account, "OnsTraceQueryByMsgKey", byKey).statusCode(400)
                .body("Code", equalTo("MissingParameter")).body("Message", containsString("\"MsgKey\""));
        TraceApi.call(account, "OnsTraceGetResult", Map.of()).statusCode(400)
                .body("Code", equalTo("MissingParameter")).body("Message", containsString("\"QueryId\""));
    }

    @Test
    void refusesARangeThatEndsBeforeItBegins() {
        Map<String, Object> p = byId();
        p.put("BeginTime", 1570968000L);
        p.put("EndTime", 1570852800000L);
        TraceApi.call(account, "OnsTraceQueryByMsgId", p).statusCode(400)
                .body("Code", equalTo("BIZ_FIELD_CHECK_INVALID"))
                .body("Message", containsString("BeginTime 1570968000 (2019-10-13T12:00:00Z) is after EndTime "
                        + "1570852800000 (2019-10-12T04:00:00Z)"));
        p.put("EndTime", -1L);
        TraceApi.call(account, "OnsTraceQueryByMsgId", p).statusCode(400)
                .body("Code", equalTo("InvalidParameter")).body("Message", containsString("EndTime"));
        p.put("EndTime", "yesterday");
        TraceApi.call(account, "OnsTraceQueryByMsgId", p).statusCode(400).body("Code", equalTo("InvalidParameter"))
                .body("Message", containsString("\"EndTime\" is invalid: \"yesterday\" is not an integer"));
    }

    @Test
    void refusesAKeyWithASpace() {
        Map<String, Object> p = byId();
        p.remove("MsgId");
        p.put("MsgKey", "ORDER 1");
        TraceApi.call(account, "OnsTraceQueryByMsgKey", p).statusCode(400)
                .body("Code", equalTo("InvalidParameter")).body("Message", containsString("one key per query"));
    }

    @Test
    void anotherAccountsInstanceAnswersExactlyLikeAMissingOne() {
        String stranger = TraceApi.newAccount();
        String foreign = TraceApi.call(stranger, "OnsTraceQueryByMsgId", byId()).statusCode(404)
                .body("Code", equalTo("AUTH_RESOURCE_OWNER_ERROR")).extract().path("Message");
        Map<String, Object> missing = byId();
        missing.put("InstanceId", "MQ_INST_" + stranger + "_nothere");
        String absent = TraceApi.call(stranger, "OnsTraceQueryByMsgId", missing).statusCode(404)
                .body("Code", equalTo("AUTH_RESOURCE_OWNER_ERROR")).extract().path("Message");
        assertEquals(absent.replace("MQ_INST_" + stranger + "_nothere", "<id>"), foreign.replace(instance, "<id>"));
        // nor does the owner reach it through another region
        TraceApi.call(account, "cn-shanghai", "OnsTraceQueryByMsgId", byId()).statusCode(404)
                .body("Code", equalTo("AUTH_RESOURCE_OWNER_ERROR"));
    }

    @Test
    void aMissingTopicIsNamed() {
        Map<String, Object> p = byId();
        p.put("Topic", "nosuchtopic");
        TraceApi.call(account, "OnsTraceQueryByMsgId", p).statusCode(404)
                .body("Code", equalTo("BIZ_TOPIC_NOT_FOUND")).body("Message", containsString("nosuchtopic"));
    }

    @Test
    void refusesCallsWithoutTheGatewaysHeaders() {
        given().contentType(ContentType.JSON).body(byId())
                .when().post("/internal/v1/operations/OnsTraceQueryByMsgId")
                .then().statusCode(400).body("Code", equalTo("MissingParameter"))
                .body("Message", containsString("X-Ons-Account-Id"));
    }
}
