package io.openons.e2e.messaging;

import static io.openons.e2e.messaging.MessagingAccount.consume;
import static io.openons.e2e.messaging.MessagingAccount.handles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.MQTransProducer;
import com.aliyun.mq.http.common.AckMessageException;
import com.aliyun.mq.http.common.ServiceException;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official MQ HTTP SDK ({@code mq-http-sdk} 1.0.3.2, unmodified) against the suite, configured with nothing
 * but the gateway's endpoint and an access key: every message type with its semantics.
 */
class MqHttpMessagingE2ETest {

    private static MessagingAccount account;
    private static String instance;

    @BeforeAll
    static void setUp() throws Exception {
        account = MessagingAccount.create("mq-http");
        instance = account.instance();
    }

    @AfterAll
    static void tearDown() {
        account.close();
    }

    private static String md5(String body) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void publishesAndConsumesNormalMessagesWithTagsKeysAndProperties() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        MQProducer producer = account.mq.getProducer(instance, topic);
        String body = "hello <&>\"' 中文 😀\r\nend";
        TopicMessage first = new TopicMessage(body.getBytes(StandardCharsets.UTF_8), "TagA");
        first.setMessageKey("order-42");
        first.getProperties().put("color", "red");
        TopicMessage sentA = producer.publishMessage(first);
        TopicMessage sentB = producer.publishMessage(new TopicMessage("b".getBytes(StandardCharsets.UTF_8), "TagB"));
        producer.publishMessage(new TopicMessage("c".getBytes(StandardCharsets.UTF_8), "TagC"));
        assertTrue(sentA.getMessageId().matches("[0-9A-F]{32}"), sentA.getMessageId());
        assertEquals(md5(body), sentA.getMessageBodyMD5());
        assertNull(sentA.getReceiptHandle(), "only transactional messages carry a publish handle");

        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, "TagA||TagB");
        List<Message> got = consume(consumer, 2, 20_000);
        assertEquals(Set.of(sentA.getMessageId(), sentB.getMessageId()),
                got.stream().map(Message::getMessageId).collect(Collectors.toSet()));
        Message a = got.stream().filter(m -> m.getMessageId().equals(sentA.getMessageId())).findFirst().orElseThrow();
        assertNotNull(a.getRequestId(), "x-mq-request-id (read case-sensitively by the SDK)");
        assertEquals(body, a.getMessageBodyString());
        assertEquals(md5(body), a.getMessageBodyMD5());
        assertEquals("TagA", a.getMessageTag());
        assertEquals("order-42", a.getMessageKey());
        assertEquals("red", a.getProperties().get("color"));
        assertEquals(1, a.getConsumedTimes());
        assertTrue(a.getPublishTime() > 0 && a.getFirstConsumeTime() >= a.getPublishTime());
        assertEquals(300_000, a.getNextConsumeTime() - a.getFirstConsumeTime(), "5 minutes by default");

        consumer.ackMessage(handles(got));
        assertNull(consumer.consumeMessage(16, 0), "acked messages are never delivered again; TagC is filtered");
        AckMessageException twice = assertThrows(AckMessageException.class, () -> consumer.ackMessage(handles(got)));
        assertEquals(Set.copyOf(handles(got)), twice.getErrorMessages().keySet(), "each failed handle echoed");
        assertEquals("ReceiptHandleError", twice.getErrorMessages().get(a.getReceiptHandle()).getErrorCode());
    }

    /**
     * The gateway sends the publishes it takes in together to message-service as one batch, whoever made them:
     * concurrent publishers of two accounts still each get their own receipt, every message lands in its own
     * account's topic, and the publishes aimed at the other account's topic are refused one by one.
     */
    @Test
    void concurrentPublishesOfTwoAccountsEachLandInTheirOwnTopic() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        try (MessagingAccount other = MessagingAccount.create("mq-http-batch")) {
            String otherInstance = other.instance();
            String otherTopic = other.topic(otherInstance, 0);
            String otherGroup = other.group(otherInstance);
            int threads = 6;
            int perThread = 50;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3 * threads);
            List<java.util.concurrent.Future<List<String>>> mine = new ArrayList<>();
            List<java.util.concurrent.Future<List<String>>> theirs = new ArrayList<>();
            List<java.util.concurrent.Future<Integer>> refused = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                mine.add(pool.submit(() -> publishAll(account.mq.getProducer(instance, topic), "mine-" + thread,
                        perThread)));
                theirs.add(pool.submit(() -> publishAll(other.mq.getProducer(otherInstance, otherTopic),
                        "theirs-" + thread, perThread)));
                refused.add(pool.submit(() -> {
                    MQProducer intruder = other.mq.getProducer(instance, topic);
                    int count = 0;
                    for (int i = 0; i < perThread / 5; i++) {
                        ServiceException e = assertThrows(ServiceException.class, () -> intruder.publishMessage(
                                new TopicMessage("intruder".getBytes(StandardCharsets.UTF_8))));
                        assertEquals("TopicNotExist", e.getErrorCode());
                        count++;
                    }
                    return count;
                }));
            }
            Set<String> myIds = new java.util.HashSet<>();
            Set<String> theirIds = new java.util.HashSet<>();
            for (var f : mine) {
                myIds.addAll(f.get(120, TimeUnit.SECONDS));
            }
            for (var f : theirs) {
                theirIds.addAll(f.get(120, TimeUnit.SECONDS));
            }
            for (var f : refused) {
                assertEquals(perThread / 5, f.get(120, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertEquals(threads * perThread, myIds.size(), "one distinct receipt per publish");
            assertEquals(threads * perThread, theirIds.size(), "one distinct receipt per publish");

            List<Message> got = consume(account.mq.getConsumer(instance, topic, group, null), threads * perThread,
                    60_000);
            List<Message> otherGot = consume(other.mq.getConsumer(otherInstance, otherTopic, otherGroup, null),
                    threads * perThread, 60_000);
            assertEquals(myIds, got.stream().map(Message::getMessageId).collect(Collectors.toSet()));
            assertEquals(theirIds, otherGot.stream().map(Message::getMessageId).collect(Collectors.toSet()));
            assertTrue(got.stream().allMatch(m -> m.getMessageBodyString().startsWith("mine-")));
            assertTrue(otherGot.stream().allMatch(m -> m.getMessageBodyString().startsWith("theirs-")));
        }
    }

    /** Publishes {@code n} messages "{prefix}-{i}", checking each receipt's body MD5; answers the message ids. */
    private static List<String> publishAll(MQProducer producer, String prefix, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = prefix + "-" + i;
            TopicMessage sent = producer.publishMessage(new TopicMessage(body.getBytes(StandardCharsets.UTF_8)));
            assertEquals(md5(body), sent.getMessageBodyMD5(), body);
            ids.add(sent.getMessageId());
        }
        return ids;
    }

    @Test
    void anEmptyLongPollWaitsAndReturnsEarlyWhenAMessageArrives() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);
        long started = System.currentTimeMillis();
        assertNull(consumer.consumeMessage(1, 2));
        long waited = System.currentTimeMillis() - started;
        assertTrue(waited >= 1_900 && waited < 6_000, "an empty long poll of 2 s took " + waited + " ms");

        CompletableFuture<List<Message>> poll = CompletableFuture.supplyAsync(() -> consumer.consumeMessage(16, 20));
        Thread.sleep(1_500);
        assertTrue(!poll.isDone());
        long sentAt = System.currentTimeMillis();
        TopicMessage sent = account.mq.getProducer(instance, topic)
                .publishMessage(new TopicMessage("now".getBytes(StandardCharsets.UTF_8)));
        List<Message> got = poll.get(25, TimeUnit.SECONDS);
        long latency = System.currentTimeMillis() - sentAt;
        assertEquals(sent.getMessageId(), got.get(0).getMessageId());
        assertTrue(latency < 3_000, "the poll answered " + latency + " ms after the publish, not after 20 s");
        consumer.ackMessage(handles(got));
    }

    @Test
    void anUnackedMessageComesBackAndStaleHandlesFailInTheAckErrorList() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        account.groupInvisibility(instance, group, 2_000);
        TopicMessage sent = account.mq.getProducer(instance, topic)
                .publishMessage(new TopicMessage("retry me".getBytes(StandardCharsets.UTF_8)));
        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);
        Message first = consume(consumer, 1, 20_000).get(0);
        assertEquals(2_000, first.getNextConsumeTime() - first.getFirstConsumeTime());
        assertNull(consumer.consumeMessage(1, 1), "invisible until NextConsumeTime");
        Message second = consume(consumer, 1, 10_000).get(0);
        assertTrue(System.currentTimeMillis() >= first.getNextConsumeTime());
        assertEquals(sent.getMessageId(), second.getMessageId());
        assertEquals(2, second.getConsumedTimes());
        assertEquals(first.getFirstConsumeTime(), second.getFirstConsumeTime());
        assertNotEquals(first.getReceiptHandle(), second.getReceiptHandle());

        AckMessageException partial = assertThrows(AckMessageException.class,
                () -> consumer.ackMessage(List.of(first.getReceiptHandle(), second.getReceiptHandle())));
        assertEquals(Set.of(first.getReceiptHandle()), partial.getErrorMessages().keySet(),
                "only the superseded handle fails; the valid one in the same request is acked");
        assertNull(consumer.consumeMessage(1, 3), "acked by the valid handle");
    }

    @Test
    void partitionOrderDeliversEachShardingKeyInOrderAndWaitsForAcks() throws Exception {
        String topic = account.topic(instance, 1);
        String group = account.group(instance);
        MQProducer producer = account.mq.getProducer(instance, topic);
        Map<String, List<String>> sent = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            for (String key : List.of("user-1", "user-2")) {
                TopicMessage m = new TopicMessage((key + "#" + i).getBytes(StandardCharsets.UTF_8));
                m.setShardingKey(key);
                sent.computeIfAbsent(key, k -> new ArrayList<>()).add(producer.publishMessage(m).getMessageId());
            }
        }
        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);
        Map<String, List<String>> received = new LinkedHashMap<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (received.values().stream().mapToInt(List::size).sum() < 8 && System.currentTimeMillis() < deadline) {
            List<Message> got = consumer.consumeMessageOrderly(16, 3);
            if (got == null) {
                continue;
            }
            for (Message m : got) {
                assertEquals(60_000, m.getNextConsumeTime() - m.getFirstConsumeTime(), "1 minute for ordered");
                received.computeIfAbsent(m.getShardingKey(), k -> new ArrayList<>()).add(m.getMessageId());
            }
            // Before the ack nothing later of those partitions is handed out.
            List<Message> blocked = consumer.consumeMessageOrderly(16, 0);
            if (blocked != null) {
                Set<String> busyKeys = got.stream().map(Message::getShardingKey).collect(Collectors.toSet());
                for (Message m : blocked) {
                    assertTrue(!busyKeys.contains(m.getShardingKey()),
                            "a message of a partition awaiting its ack was handed out: " + m.getMessageBodyString());
                    received.computeIfAbsent(m.getShardingKey(), k -> new ArrayList<>()).add(m.getMessageId());
                }
                consumer.ackMessage(handles(blocked));
            }
            consumer.ackMessage(handles(got));
        }
        assertEquals(sent, received, "each sharding key in publish order");
    }

    @Test
    void globalOrderDeliversTheWholeTopicInOrder() throws Exception {
        String topic = account.topic(instance, 2);
        String group = account.group(instance);
        account.groupInvisibility(instance, group, 2_000);
        MQProducer producer = account.mq.getProducer(instance, topic);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TopicMessage m = new TopicMessage(("g" + i).getBytes(StandardCharsets.UTF_8));
            m.setShardingKey("global");
            sent.add(producer.publishMessage(m).getMessageId());
        }
        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);
        List<String> received = new ArrayList<>();
        Message unacked = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (received.size() < 6 && System.currentTimeMillis() < deadline) {
            List<Message> got = consumer.consumeMessageOrderly(1, 3);
            if (got == null) {
                continue;
            }
            Message m = got.get(0);
            if (unacked == null && received.size() == 2) {
                // Leave the third unacked: it must come back before anything after it.
                unacked = m;
                continue;
            }
            if (unacked != null && m.getMessageId().equals(unacked.getMessageId())) {
                assertEquals(2, m.getConsumedTimes());
            }
            received.add(m.getMessageId());
            consumer.ackMessage(List.of(m.getReceiptHandle()));
        }
        assertEquals(sent, received);
    }

    @Test
    void aScheduledMessageIsNotDeliveredBeforeItsTime() throws Exception {
        String topic = account.topic(instance, 5);
        String group = account.group(instance);
        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);
        long deliverAt = System.currentTimeMillis() + 5_000;
        TopicMessage m = new TopicMessage("scheduled".getBytes(StandardCharsets.UTF_8));
        m.setStartDeliverTime(deliverAt);
        String id = account.mq.getProducer(instance, topic).publishMessage(m).getMessageId();
        List<Message> got = consume(consumer, 1, 20_000);
        long receivedAt = System.currentTimeMillis();
        assertEquals(id, got.get(0).getMessageId());
        assertTrue(receivedAt >= deliverAt, "delivered " + (deliverAt - receivedAt) + " ms before its time");
        assertTrue(receivedAt < deliverAt + 5_000, "delivered " + (receivedAt - deliverAt) + " ms late");
        assertEquals(deliverAt, got.get(0).getStartDeliverTime());
        consumer.ackMessage(handles(got));

        TopicMessage tooFar = new TopicMessage("x".getBytes(StandardCharsets.UTF_8));
        tooFar.setStartDeliverTime(System.currentTimeMillis() + 41L * 24 * 3_600_000);
        ServiceException e = assertThrows(ServiceException.class,
                () -> account.mq.getProducer(instance, topic).publishMessage(tooFar));
        assertEquals("InvalidArgument", e.getErrorCode());
    }

    @Test
    void transactionalMessagesAreInvisibleUntilCommittedAndRolledBackOnesNeverArrive() throws Exception {
        String topic = account.topic(instance, 4);
        String producerGroup = account.group(instance);
        String group = account.group(instance);
        MQTransProducer producer = account.mq.getTransProducer(instance, topic, producerGroup);
        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);

        TopicMessage committed = half(producer, "commit me");
        TopicMessage rolledBack = half(producer, "roll me back");
        TopicMessage undecided = half(producer, "check me");
        assertNotNull(committed.getReceiptHandle(), "a half message's publish carries its handle");
        assertNull(consumer.consumeMessage(16, 1), "half messages are invisible");

        producer.commit(committed.getReceiptHandle());
        producer.rollback(rolledBack.getReceiptHandle());
        List<Message> got = consume(consumer, 1, 20_000);
        assertEquals(committed.getMessageId(), got.get(0).getMessageId(), "the committed message, same id");
        assertEquals("commit me", got.get(0).getMessageBodyString());
        assertEquals(10, got.get(0).getTransCheckImmunityTime());
        consumer.ackMessage(handles(got));
        assertThrows(AckMessageException.class, () -> producer.commit(rolledBack.getReceiptHandle()),
                "a resolved half message cannot be resolved again");

        // The undecided one is offered for checking once its immunity time (10 s) has passed, not before.
        List<Message> checks = producer.consumeHalfMessage(16, 1);
        assertNull(checks, "not before the check immunity time");
        long deadline = System.currentTimeMillis() + 30_000;
        while ((checks == null || checks.isEmpty()) && System.currentTimeMillis() < deadline) {
            checks = producer.consumeHalfMessage(16, 3);
        }
        assertNotNull(checks);
        assertEquals(List.of(undecided.getMessageId()), checks.stream().map(Message::getMessageId).toList());
        assertTrue(System.currentTimeMillis() - checks.get(0).getPublishTime() >= 10_000);
        assertThrows(AckMessageException.class, () -> producer.commit(undecided.getReceiptHandle()),
                "the publish handle expired with the immunity time");
        producer.commit(checks.get(0).getReceiptHandle());
        List<Message> after = consume(consumer, 1, 20_000);
        assertEquals(undecided.getMessageId(), after.get(0).getMessageId());
        consumer.ackMessage(handles(after));
        assertNull(consumer.consumeMessage(16, 2), "the rolled-back message is never delivered");
    }

    private static TopicMessage half(MQTransProducer producer, String body) {
        TopicMessage m = new TopicMessage(body.getBytes(StandardCharsets.UTF_8));
        m.setTransCheckImmunityTime(10);
        return producer.publishMessage(m);
    }

    @Test
    void permissionsAndMissingResourcesAreRefusedWithClearErrors() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        MQProducer producer = account.mq.getProducer(instance, topic);
        TopicMessage m = new TopicMessage("x".getBytes(StandardCharsets.UTF_8));

        account.topicPerm(instance, topic, 4);
        ServiceException readOnly = assertThrows(ServiceException.class, () -> producer.publishMessage(m));
        assertEquals("AccessDenied", readOnly.getErrorCode());
        assertTrue(readOnly.getMessage().contains("read-only"), readOnly.getMessage());
        account.topicPerm(instance, topic, 2);
        producer.publishMessage(m);
        ServiceException writeOnly = assertThrows(ServiceException.class,
                () -> account.mq.getConsumer(instance, topic, group, null).consumeMessage(1, 0));
        assertEquals("AccessDenied", writeOnly.getErrorCode());
        account.topicPerm(instance, topic, 6);

        account.readEnable(instance, group, false);
        ServiceException closed = assertThrows(ServiceException.class,
                () -> account.mq.getConsumer(instance, topic, group, null).consumeMessage(1, 0));
        assertEquals("AccessDenied", closed.getErrorCode());
        account.readEnable(instance, group, true);

        assertEquals("SubscriptionNotExist", assertThrows(ServiceException.class,
                () -> account.mq.getConsumer(instance, topic, "GID_nobody", null).consumeMessage(1, 0))
                .getErrorCode());
        String tcp = io.openons.e2e.Names.groupId("tcp");
        io.openons.e2e.Fixtures.group(account.ons, instance, tcp, "tcp");
        assertEquals("SubscriptionNotExist", assertThrows(ServiceException.class,
                () -> account.mq.getConsumer(instance, topic, tcp, null).consumeMessage(1, 0)).getErrorCode());
        assertEquals("TopicNotExist", assertThrows(ServiceException.class,
                () -> account.mq.getProducer(instance, "no-such-topic").publishMessage(m)).getErrorCode());

        // Another account's instance answers exactly like a missing one.
        try (MessagingAccount other = MessagingAccount.create("mq-http-other")) {
            ServiceException foreign = assertThrows(ServiceException.class,
                    () -> other.mq.getProducer(instance, topic).publishMessage(m));
            assertEquals("TopicNotExist", foreign.getErrorCode());
            String otherGroup = other.group(other.instance());
            assertEquals("TopicNotExist", assertThrows(ServiceException.class,
                    () -> other.mq.getConsumer(instance, topic, otherGroup, null).consumeMessage(1, 0))
                    .getErrorCode());
        }
        // A wrong secret is an authentication error on every operation, before anything else is looked at.
        com.aliyun.mq.http.MQClient forged = new com.aliyun.mq.http.MQClient(account.suite.endpoint(),
                account.key.accessKeyId(), "not-the-secret");
        try {
            assertEquals("SignatureDoesNotMatch", assertThrows(ServiceException.class,
                    () -> forged.getProducer(instance, topic).publishMessage(m)).getErrorCode());
            assertEquals("SignatureDoesNotMatch", assertThrows(ServiceException.class,
                    () -> forged.getConsumer(instance, topic, group, null).consumeMessage(1, 0)).getErrorCode());
            assertEquals("SignatureDoesNotMatch", assertThrows(ServiceException.class,
                    () -> forged.getConsumer(instance, topic, group, null).ackMessage(List.of("x"))).getErrorCode());
        } finally {
            forged.close();
        }

        // Deleted group and topic are refused, as soon as the deletion event reached message-service's resource
        // replica (milliseconds: docs/decisions/0011), which the test allows a few seconds for.
        var deleteGroup = new com.aliyuncs.ons.model.v20190214.OnsGroupDeleteRequest();
        deleteGroup.setInstanceId(instance);
        deleteGroup.setGroupId(group);
        account.ons.call(deleteGroup);
        assertEquals("SubscriptionNotExist", refusedWithin(() -> account.mq.getConsumer(instance, topic, group, null)
                .consumeMessage(1, 0)).getErrorCode());
        var deleteTopic = new com.aliyuncs.ons.model.v20190214.OnsTopicDeleteRequest();
        deleteTopic.setInstanceId(instance);
        deleteTopic.setTopic(topic);
        account.ons.call(deleteTopic);
        assertEquals("TopicNotExist", refusedWithin(() -> producer.publishMessage(m)).getErrorCode());
    }

    /** The refusal of a call that becomes refused once a resource change has propagated (bounded: 5 s). */
    private static ServiceException refusedWithin(org.junit.jupiter.api.function.Executable call) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (true) {
            try {
                call.execute();
            } catch (ServiceException refused) {
                return refused;
            } catch (Throwable other) {
                throw new AssertionError("unexpected failure", other);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the call was still accepted 5 s after the resource was deleted");
            }
            Thread.sleep(50);
        }
    }
}
