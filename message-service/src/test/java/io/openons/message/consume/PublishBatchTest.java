package io.openons.message.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.openons.contracts.messaging.ConsumeMode;
import io.openons.contracts.messaging.ConsumedMessage;
import io.openons.contracts.messaging.MessagingApi;
import io.openons.contracts.messaging.PublishBatch;
import io.openons.contracts.messaging.PublishCommand;
import io.openons.message.support.Api;
import io.openons.message.support.Flow;
import io.openons.message.support.TestResources;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The publish batch the gateway sends for the publishes one event loop took in together: every entry is published
 * on its own with its own caller's rights, and answered in order; one entry's failure leaves the others alone.
 */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class PublishBatchTest {

    private static final String ACCOUNT = "1000000000000111";
    private static final String OTHER_ACCOUNT = "1000000000000112";

    @Test
    void eachEntryIsPublishedOrRefusedOnItsOwnInOrder() {
        String instance = TestResources.newInstance(ACCOUNT);
        String topic = TestResources.unique("topic");
        TestResources.newTopic(ACCOUNT, instance, topic, 0, 6);
        String group = "GID_" + TestResources.unique("g");
        TestResources.newGroup(ACCOUNT, instance, group, "http", true);

        PublishBatch batch = new PublishBatch(List.of(
                entry(ACCOUNT, "r1", new PublishCommand(instance, topic, "first", "A", Map.of("KEYS", "k1"),
                        "10.0.0.1:1", null)),
                entry(ACCOUNT, "r2", new PublishCommand(instance, "nope", "x", null, Map.of(), "10.0.0.1:2", null)),
                entry(OTHER_ACCOUNT, "r3", new PublishCommand(instance, topic, "foreign", null, Map.of(),
                        "10.0.0.1:3", null)),
                entry(ACCOUNT, "r4", new PublishCommand(instance, topic, "", null, Map.of(), "10.0.0.1:4", null)),
                entry(ACCOUNT, "r5", new PublishCommand(instance, topic, "second", "B", Map.of(), "10.0.0.1:5",
                        null))));
        Response r = Api.messaging(ACCOUNT, MessagingApi.PUBLISH_BATCH, batch);
        assertEquals(200, r.statusCode(), r.asString());
        List<PublishBatch.Outcome> outcomes = r.as(PublishBatch.Outcomes.class).outcomes();
        assertEquals(5, outcomes.size(), r.asString());

        assertNotNull(outcomes.get(0).receipt(), r.asString());
        assertNull(outcomes.get(0).error());
        assertEquals("8B04D5E3775D298E78455EFC5CA404D5", outcomes.get(0).receipt().bodyMd5());
        assertError(outcomes.get(1), 404, "TopicNotExist");
        assertError(outcomes.get(2), 404, "TopicNotExist");
        assertError(outcomes.get(3), 400, "InvalidArgument");
        assertNotNull(outcomes.get(4).receipt(), r.asString());
        assertNotEquals(outcomes.get(0).receipt().msgId(), outcomes.get(4).receipt().msgId());

        List<ConsumedMessage> got = new Flow(ACCOUNT, instance, topic).consumeAll(group, 2, "*", ConsumeMode.NORMAL,
                15_000);
        assertEquals(Set.of(outcomes.get(0).receipt().msgId(), outcomes.get(4).receipt().msgId()),
                got.stream().map(ConsumedMessage::msgId).collect(Collectors.toSet()));
        assertEquals(Set.of("first", "second"), got.stream().map(ConsumedMessage::body).collect(Collectors.toSet()));
    }

    @Test
    void anEmptyOrOversizedBatchIsRefused() {
        Response empty = Api.messaging(ACCOUNT, MessagingApi.PUBLISH_BATCH, new PublishBatch(List.of()));
        assertEquals(400, empty.statusCode(), empty.asString());
        assertEquals("InvalidParameter", empty.jsonPath().getString("Code"));
        List<PublishBatch.Entry> many = new ArrayList<>();
        for (int i = 0; i <= PublishBatch.MAX_ENTRIES; i++) {
            many.add(entry(ACCOUNT, "r" + i, new PublishCommand(null, "t", "x", null, Map.of(), null, null)));
        }
        Response oversized = Api.messaging(ACCOUNT, MessagingApi.PUBLISH_BATCH, new PublishBatch(many));
        assertEquals(400, oversized.statusCode(), oversized.asString());
        assertEquals("InvalidParameter", oversized.jsonPath().getString("Code"));
    }

    private static PublishBatch.Entry entry(String account, String requestId, PublishCommand command) {
        return new PublishBatch.Entry(account, requestId, command);
    }

    private static void assertError(PublishBatch.Outcome outcome, int status, String code) {
        assertNull(outcome.receipt(), outcome.toString());
        assertEquals(status, outcome.status(), outcome.toString());
        assertEquals(code, outcome.error().code(), outcome.toString());
    }
}
