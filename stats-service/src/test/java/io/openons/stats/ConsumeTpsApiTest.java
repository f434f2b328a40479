package io.openons.stats;

import static io.openons.stats.Traffic.MINUTE;
import static io.openons.stats.Traffic.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.stats.aggregate.TimeBuckets;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The internal consume TPS API message-service uses for OnsConsumerAccumulate and OnsConsumerStatus. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class ConsumeTpsApiTest {

    private static io.restassured.path.json.JsonPath consumeTps(Map<String, ?> query) {
        return Traffic.json(given().queryParams(query).when().get("/internal/v1/stats/consume-tps").then()
                .statusCode(200));
    }

    @Test
    void answersTheRecentConsumeTpsPerTopicAndInTotalFromTheTrendCounts() {
        Traffic.Setup s = Traffic.Setup.create(List.of("a", "b"), List.of("GID_tps", "GID_other"));
        long current = TimeBuckets.minute(System.currentTimeMillis());
        List<MessageLifecycleEvent> events = new ArrayList<>();
        // In the three finished minutes before this one: 90 on "a", 30 on "b"; plus traffic that must not count:
        // the current minute, another group, produced messages, and a minute before the window.
        for (int i = 0; i < 30; i++) {
            for (int m = 1; m <= 3; m++) {
                events.add(s.acked("GID_tps", "a", current - m * MINUTE + i));
            }
            events.add(s.acked("GID_tps", "b", current - 2 * MINUTE + i));
            events.add(s.acked("GID_other", "a", current - MINUTE + i));
            events.add(s.published("a", current - MINUTE + i));
        }
        events.add(s.acked("GID_tps", "a", current - 6 * MINUTE));
        MessageLifecycleEvent now = s.acked("GID_tps", "b", current + 1);
        events.add(now);
        Traffic.publishInOrder(s.instance(), events);
        // The last event is read after all the others (same partition).
        await("counted", () -> TrendOperationsTest.trend(s.account(), "OnsTrendGroupOutputTps",
                TrendOperationsTest.groupQuery(s, "GID_tps", "b", current - MINUTE, current + 1, 0, 1L)).points()
                .get(1).y(), y -> y == 1.0);

        var body = consumeTps(Map.of("accountId", s.account(), "instanceId", s.instance(), "groupId", "GID_tps",
                "window", "PT5M"));
        long end = body.getLong("windowEnd");
        assertTrue(end == current || end == current + MINUTE, "the window ends at the current minute");
        // If the minute turned meanwhile, the window also holds the message of the (then finished) minute.
        long onB = end == current ? 30 : 31;
        assertEquals(end - 5 * MINUTE, body.getLong("windowStart"));
        assertEquals(90 + onB, body.getLong("consumed"));
        assertEquals((90 + onB) / 300.0, body.getDouble("consumeTps"));
        assertEquals(List.of("a", "b"), body.getList("topics.topic"));
        assertEquals(List.of(90, (int) onB), body.getList("topics.consumed"));
        assertEquals(90 / 300.0, body.getDouble("topics[0].consumeTps"));
        assertEquals(onB / 300.0, body.getDouble("topics[1].consumeTps"));
        assertEquals(s.account(), body.getString("accountId"));
        assertEquals("GID_tps", body.getString("groupId"));
        var oneTopic = consumeTps(Map.of("accountId", s.account(), "instanceId", s.instance(), "groupId", "GID_tps",
                "topic", "b", "window", "PT5M"));
        assertEquals(List.of("b"), oneTopic.getList("topics.topic"));
        var defaultWindow = consumeTps(Map.of("accountId", s.account(), "instanceId", s.instance(), "groupId",
                "GID_tps", "topic", "absent"));
        assertEquals(60_000L, defaultWindow.getLong("windowEnd") - defaultWindow.getLong("windowStart"));
        assertEquals(List.of("absent"), defaultWindow.getList("topics.topic"));
        assertEquals(0, defaultWindow.getLong("consumed"));
        // Another account's view of the same names is empty.
        assertEquals(0, consumeTps(Map.of("accountId", Traffic.newAccount(), "instanceId", s.instance(), "groupId",
                "GID_tps", "window", "PT5M")).getLong("consumed"));
    }

    @Test
    void rejectsMissingParametersAndBadWindows() {
        given().queryParam("instanceId", "i").queryParam("groupId", "g").when().get("/internal/v1/stats/consume-tps")
                .then().statusCode(400).body("Code", equalTo("MissingParameter"));
        given().queryParams(Map.of("accountId", "1", "instanceId", "i", "groupId", "g", "window", "PT90S")).when()
                .get("/internal/v1/stats/consume-tps").then().statusCode(400).body("Code", equalTo("InvalidParameter"));
    }
}
