package io.openons.message.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.messaging.AckMode;
import io.openons.contracts.messaging.ConsumeMode;
import io.openons.contracts.messaging.ConsumedMessage;
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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Publish, consume and ack through the internal messaging API, against real PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class PublishConsumeTest {

    private static final String ACCOUNT = "1000000000000101";

    private Flow topic(int messageType) {
        String instance = TestResources.newInstance(ACCOUNT);
        String topic = TestResources.unique("topic");
        TestResources.newTopic(ACCOUNT, instance, topic, messageType, 6);
        return new Flow(ACCOUNT, instance, topic);
    }

    private String group(Flow flow) {
        String group = "GID_" + TestResources.unique("g");
        TestResources.newGroup(ACCOUNT, flow.instanceId(), group, "http", true);
        return group;
    }

    @Test
    void deliversMatchingTagsOnceAndNeverAgainAfterAck() {
        Flow flow = topic(0);
        String group = group(flow);
        String other = group(flow);
        PublishReceipt a1 = flow.publish("hello", "A", Map.of("KEYS", "k1", "color", "red"));
        flow.publish("other", "B", Map.of());
        PublishReceipt a2 = flow.publish("second", "A", Map.of());
        assertEquals(32, a1.msgId().length());
        assertEquals("5D41402ABC4B2A76B9719D911017C592", a1.bodyMd5());
        assertTrue(a1.partition() >= 0 && a1.offset() >= 0, a1.toString());

        long before = System.currentTimeMillis();
        List<ConsumedMessage> got = flow.consumeAll(group, 2, "A||C", ConsumeMode.NORMAL, 15_000);
        assertEquals(Set.of(a1.msgId(), a2.msgId()), ids(got));
        ConsumedMessage first = got.stream().filter(m -> m.msgId().equals(a1.msgId())).findFirst().orElseThrow();
        assertEquals("hello", first.body());
        assertEquals("A", first.tag());
        assertEquals(1, first.consumedTimes());
        assertEquals("k1", first.properties().get("KEYS"));
        assertEquals("red", first.properties().get("color"));
        assertEquals(a1.bodyMd5(), first.bodyMd5());
        long invisible = first.nextConsumeTime() - first.firstConsumeTime();
        assertEquals(300_000, invisible, "default invisibility of unordered messages is 5 minutes");
        assertTrue(first.firstConsumeTime() >= before);

        assertEquals(List.of(), flow.ack(group, handles(got), AckMode.ACK));
        var again = flow.ack(group, handles(got), AckMode.ACK);
        assertEquals(2, again.size(), "a handle works once");
        assertEquals("ReceiptHandleError", again.get(0).code());
        assertEquals(List.of(), flow.consume(group, 16, 0, "A", ConsumeMode.NORMAL));
        // The B message was filtered out for this group; another group receives all three.
        assertEquals(3, flow.consumeAll(other, 3, "*", ConsumeMode.NORMAL, 15_000).size());
    }

    @Test
    void aGroupCreatedAfterAMessageWasStoredDoesNotReceiveIt() throws Exception {
        Flow flow = topic(0);
        String early = group(flow);
        flow.publish("before", null, Map.of());
        Thread.sleep(20);
        String late = group(flow);
        PublishReceipt after = flow.publish("after", null, Map.of());
        assertEquals(2, flow.consumeAll(early, 2, null, ConsumeMode.NORMAL, 15_000).size());
        List<ConsumedMessage> got = flow.consumeAll(late, 2, null, ConsumeMode.NORMAL, 5_000);
        assertEquals(Set.of(after.msgId()), ids(got));
    }

    @Test
    void anUnackedDeliveryComesBackWithAnotherHandleAfterTheGroupsInvisibility() throws Exception {
        Flow flow = topic(0);
        String group = group(flow);
        Api.groupSettings(ACCOUNT, flow.instanceId(), group, Map.of("invisibleTimeMillis", 1500))
                .then().statusCode(200);
        PublishReceipt sent = flow.publish("again", null, Map.of());
        ConsumedMessage first = flow.consumeAll(group, 1, null, ConsumeMode.NORMAL, 15_000).get(0);
        assertEquals(1500, first.nextConsumeTime() - first.firstConsumeTime());
        assertEquals(List.of(), flow.consume(group, 1, 0, null, ConsumeMode.NORMAL), "invisible while unacked");
        Thread.sleep(1600);
        ConsumedMessage second = flow.consume(group, 1, 5, null, ConsumeMode.NORMAL).get(0);
        assertEquals(sent.msgId(), second.msgId());
        assertEquals(2, second.consumedTimes());
        assertEquals(first.firstConsumeTime(), second.firstConsumeTime());
        assertNotEquals(first.receiptHandle(), second.receiptHandle());
        assertEquals(1, flow.ack(group, List.of(first.receiptHandle()), AckMode.ACK).size(), "superseded handle");
        assertEquals(List.of(), flow.ack(group, List.of(second.receiptHandle()), AckMode.ACK));
    }

    @Test
    void aWaitingPollAnswersAsSoonAsAMessageArrives() throws Exception {
        Flow flow = topic(0);
        String group = group(flow);
        flow.publish("warm-up", null, Map.of());
        flow.ack(group, handles(flow.consumeAll(group, 1, null, ConsumeMode.NORMAL, 15_000)), AckMode.ACK);
        CompletableFuture<List<ConsumedMessage>> poll = CompletableFuture.supplyAsync(
                () -> flow.consume(group, 16, 20, null, ConsumeMode.NORMAL));
        Thread.sleep(1500);
        assertTrue(!poll.isDone(), "the poll waits while there is nothing");
        long sentAt = System.currentTimeMillis();
        PublishReceipt sent = flow.publish("wake up", null, Map.of());
        List<ConsumedMessage> got = poll.get(20, TimeUnit.SECONDS);
        long waited = System.currentTimeMillis() - sentAt;
        assertEquals(List.of(sent.msgId()), got.stream().map(ConsumedMessage::msgId).toList());
        assertTrue(waited < 3_000, "answered " + waited + " ms after the publish, not at the end of the wait");
    }

    @Test
    void concurrentConsumersOfOneGroupNeverShareAMessage() throws Exception {
        Flow flow = topic(0);
        String group = group(flow);
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            sent.add(flow.publish("m" + i, null, Map.of()).msgId());
        }
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(pool.submit(() -> {
                int empty = 0;
                while (empty < 3) {
                    List<ConsumedMessage> got = flow.consume(group, 16, 1, null, ConsumeMode.NORMAL);
                    if (got.isEmpty()) {
                        empty++;
                        continue;
                    }
                    got.forEach(m -> received.add(m.msgId()));
                    assertEquals(List.of(), flow.ack(group, handles(got), AckMode.ACK));
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(300, received.size(), "every message exactly once");
        assertEquals(sent, new HashSet<>(received));
    }

    @Test
    void anOrderedPartitionWaitsForTheAckOfItsPreviousMessage() {
        Flow flow = topic(1);
        String group = group(flow);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(flow.publish("o" + i, null, Map.of("__SHARDINGKEY", "order-1")).msgId());
        }
        ConsumedMessage m1 = flow.consumeAll(group, 1, null, ConsumeMode.ORDERLY, 15_000).get(0);
        assertEquals(sent.get(0), m1.msgId());
        assertEquals(60_000, m1.nextConsumeTime() - m1.firstConsumeTime(), "ordered invisibility is 1 minute");
        // Taking more may bring the rest of the partition together; ask for one at a time.
        assertEquals(List.of(), flow.consume(group, 1, 1, null, ConsumeMode.ORDERLY), "blocked until m1 is acked");
        flow.ack(group, List.of(m1.receiptHandle()), AckMode.ACK);
        ConsumedMessage m2 = flow.consume(group, 1, 5, null, ConsumeMode.ORDERLY).get(0);
        assertEquals(sent.get(1), m2.msgId());
        flow.ack(group, List.of(m2.receiptHandle()), AckMode.ACK);
        assertEquals(sent.get(2), flow.consume(group, 1, 5, null, ConsumeMode.ORDERLY).get(0).msgId());
    }

    @Test
    void aDelayedMessageIsNotDeliveredBeforeItsTime() {
        Flow flow = topic(5);
        String group = group(flow);
        long at = System.currentTimeMillis() + 3_000;
        PublishReceipt sent = flow.publish("later", null, Map.of("__STARTDELIVERTIME", Long.toString(at)));
        assertEquals(List.of(), flow.consume(group, 16, 1, null, ConsumeMode.NORMAL));
        List<ConsumedMessage> got = flow.consumeAll(group, 1, null, ConsumeMode.NORMAL, 15_000);
        long receivedAt = System.currentTimeMillis();
        assertEquals(sent.msgId(), got.get(0).msgId());
        assertTrue(receivedAt >= at, "delivered " + (at - receivedAt) + " ms early");
        assertEquals(Long.toString(at), got.get(0).properties().get("__STARTDELIVERTIME"));
    }

    @Test
    void rulesAndPermissionsAreEnforced() {
        Flow flow = topic(0);
        String group = group(flow);
        expect(flow.publishRaw("x", null, Map.of("__TransCheckT", "10")), 400, "InvalidArgument");
        expect(flow.publishRaw("x", null, Map.of("__STARTDELIVERTIME", "1")), 400, "InvalidArgument");
        expect(flow.publishRaw("", null, Map.of()), 400, "InvalidArgument");
        expect(flow.publishRaw("x", "a".repeat(65), Map.of()), 400, "InvalidArgument");
        expect(flow.publishRaw("x", null, Map.of("bad:key", "v")), 400, "InvalidArgument");
        expect(flow.consumeRaw(group, 17, 0, null, ConsumeMode.NORMAL), 400, "InvalidArgument");
        expect(flow.consumeRaw(group, 1, 31, null, ConsumeMode.NORMAL), 400, "InvalidArgument");
        expect(flow.consumeRaw("GID_missing", 1, 0, null, ConsumeMode.NORMAL), 404, "SubscriptionNotExist");
        String tcp = "GID_" + TestResources.unique("tcp");
        TestResources.newGroup(ACCOUNT, flow.instanceId(), tcp, "tcp", true);
        expect(flow.consumeRaw(tcp, 1, 0, null, ConsumeMode.NORMAL), 404, "SubscriptionNotExist");
        String closed = "GID_" + TestResources.unique("closed");
        TestResources.newGroup(ACCOUNT, flow.instanceId(), closed, "http", false);
        expect(flow.consumeRaw(closed, 1, 0, null, ConsumeMode.NORMAL), 403, "AccessDenied");
        Flow foreign = new Flow("1000000000000999", flow.instanceId(), flow.topic());
        expect(foreign.publishRaw("x", null, Map.of()), 404, "TopicNotExist");
        expect(new Flow(ACCOUNT, flow.instanceId(), "nope").publishRaw("x", null, Map.of()), 404, "TopicNotExist");

        Flow delayed = topic(5);
        expect(delayed.publishRaw("x".repeat(64 * 1024 + 1), null, Map.of()), 400, "InvalidArgument");
        delayed.publish("x".repeat(64 * 1024), null, Map.of());
        Flow ordered = topic(1);
        expect(ordered.publishRaw("x", null, Map.of()), 400, "InvalidArgument");

        String instance = TestResources.newInstance(ACCOUNT);
        String name = TestResources.unique("perm");
        var record = TestResources.newTopic(ACCOUNT, instance, name, 0, 4);
        Flow readOnly = new Flow(ACCOUNT, instance, name);
        expect(readOnly.publishRaw("x", null, Map.of()), 403, "AccessDenied");
        TestResources.updateTopic(ACCOUNT, record, 2);
        String g = "GID_" + TestResources.unique("g");
        TestResources.newGroup(ACCOUNT, instance, g, "http", true);
        readOnly.publish("now writable", null, Map.of());
        expect(readOnly.consumeRaw(g, 1, 0, null, ConsumeMode.NORMAL), 403, "AccessDenied");
    }

    private static void expect(Response r, int status, String code) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals(code, r.jsonPath().getString("Code"), r.asString());
    }

    static Set<String> ids(List<ConsumedMessage> messages) {
        return new HashSet<>(messages.stream().map(ConsumedMessage::msgId).toList());
    }

    static List<String> handles(List<ConsumedMessage> messages) {
        return messages.stream().map(ConsumedMessage::receiptHandle).toList();
    }
}
