package io.openons.trace;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import io.openons.contracts.operation.InternalHeaders;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Calls trace-service's internal operation API the way the gateway does (headers, JSON parameters). */
public final class TraceApi {

    private static final AtomicLong ACCOUNTS = new AtomicLong(System.currentTimeMillis() % 1_000_000L * 1000);

    private TraceApi() {
    }

    /** A fresh 16-digit account id, so that tests do not see each other's resources. */
    public static String newAccount() {
        return Long.toString(1_000_000_000_000_000L + ACCOUNTS.incrementAndGet());
    }

    public static ValidatableResponse call(String account, String action, Map<String, ?> params) {
        return call(account, Catalog.REGION, action, params);
    }

    public static ValidatableResponse call(String account, String region, String action, Map<String, ?> params) {
        return given()
                .header(InternalHeaders.ACCOUNT_ID, account)
                .header(InternalHeaders.REGION_ID, region)
                .header(InternalHeaders.REQUEST_ID, "test-" + action)
                .contentType(ContentType.JSON)
                .body(params)
                .when().post("/internal/v1/operations/" + action)
                .then();
    }

    public static String queryByMsgId(String account, String instanceId, String topic, String msgId, long begin,
            long end) {
        return call(account, "OnsTraceQueryByMsgId", Map.of("InstanceId", instanceId, "Topic", topic,
                "MsgId", msgId, "BeginTime", begin, "EndTime", end)).statusCode(200).extract().path("QueryId");
    }

    public static String queryByMsgKey(String account, String instanceId, String topic, String key, long begin,
            long end) {
        return call(account, "OnsTraceQueryByMsgKey", Map.of("InstanceId", instanceId, "Topic", topic,
                "MsgKey", key, "BeginTime", begin, "EndTime", end)).statusCode(200).extract().path("QueryId");
    }

    public static JsonPath result(String account, String queryId) {
        return call(account, "OnsTraceGetResult", Map.of("QueryId", queryId)).statusCode(200).extract().jsonPath();
    }

    /** Polls OnsTraceGetResult until the job is finished (or fails the test after {@code timeoutMillis}). */
    public static JsonPath awaitFinished(String account, String queryId, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        JsonPath last = null;
        while (System.currentTimeMillis() < deadline) {
            last = result(account, queryId);
            if ("finish".equals(last.getString("TraceData.Status"))) {
                return last;
            }
            sleep(20);
        }
        fail("Trace query " + queryId + " did not finish within " + timeoutMillis + " ms; last answer: "
                + (last == null ? null : last.prettify()));
        return null;
    }

    /**
     * Runs a msg-id query until its trace satisfies {@code done} (events are ingested asynchronously), and answers
     * that last result.
     */
    public static JsonPath awaitTrace(String account, String instanceId, String topic, String msgId, long begin,
            long end, java.util.function.Predicate<JsonPath> done, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        JsonPath last = null;
        while (System.currentTimeMillis() < deadline) {
            last = awaitFinished(account, queryByMsgId(account, instanceId, topic, msgId, begin, end), 10_000);
            try {
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException notYet) {
                // a path the predicate reads is not there yet
            }
            sleep(100);
        }
        fail("Trace of " + msgId + " not as expected within " + timeoutMillis + " ms; last answer: "
                + (last == null ? null : last.prettify()));
        return null;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
