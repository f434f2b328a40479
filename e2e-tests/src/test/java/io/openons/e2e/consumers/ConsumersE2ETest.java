package io.openons.e2e.consumers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.ons.model.v20190214.OnsConsumerAccumulateRequest;
import com.aliyuncs.ons.model.v20190214.OnsConsumerAccumulateResponse;
import com.aliyuncs.ons.model.v20190214.OnsConsumerGetConnectionRequest;
import com.aliyuncs.ons.model.v20190214.OnsConsumerGetConnectionResponse;
import com.aliyuncs.ons.model.v20190214.OnsConsumerResetOffsetRequest;
import com.aliyuncs.ons.model.v20190214.OnsConsumerStatusRequest;
import com.aliyuncs.ons.model.v20190214.OnsConsumerStatusResponse;
import com.aliyuncs.ons.model.v20190214.OnsConsumerTimeSpanRequest;
import com.aliyuncs.ons.model.v20190214.OnsConsumerTimeSpanResponse;
import com.aliyuncs.ons.model.v20190214.OnsDLQMessageGetByIdRequest;
import com.aliyuncs.ons.model.v20190214.OnsDLQMessageGetByIdResponse;
import com.aliyuncs.ons.model.v20190214.OnsDLQMessagePageQueryByGroupIdRequest;
import com.aliyuncs.ons.model.v20190214.OnsDLQMessagePageQueryByGroupIdResponse;
import com.aliyuncs.ons.model.v20190214.OnsDLQMessageResendByIdRequest;
import com.aliyuncs.ons.model.v20190214.OnsDLQMessageResendByIdResponse;
import com.aliyuncs.ons.model.v20190214.OnsGroupSubDetailRequest;
import com.aliyuncs.ons.model.v20190214.OnsGroupSubDetailResponse;
import com.aliyuncs.ons.model.v20190214.OnsMessagePushRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessageTraceRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessageTraceResponse;
import com.aliyuncs.ons.model.v20190214.OnsTopicSubDetailRequest;
import com.aliyuncs.ons.model.v20190214.OnsTopicSubDetailResponse;
import io.openons.contracts.operation.Operation;
import io.openons.e2e.Fixtures;
import io.openons.e2e.Names;
import io.openons.e2e.messaging.MessagingAccount;
import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.common.http.ClientConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4 as a new user tries it, with the official SDKs only (mq-http-sdk to produce and consume,
 * aliyun-java-sdk-ons for the consumer-management and dead-letter Actions, kafka-clients for a plain Kafka consumer
 * group): backlog that grows while a consumer does not ack and drains when it does, its connection while it polls,
 * a reset to a timestamp, a message dead-lettered after exactly the maximum reconsume count and resent to its group
 * only, a push to one named client, and the same Actions for a Kafka consumer group.
 */
class ConsumersE2ETest {

    private static MessagingAccount account;
    private static String instance;

    @BeforeAll
    static void account() throws Exception {
        assumeTrue(Operation.OnsConsumerAccumulate.available(), "issue 4 is not in this build yet");
        account = MessagingAccount.create("consumers");
        instance = account.instance();
    }

    @AfterAll
    static void close() {
        if (account != null) {
            account.close();
        }
    }

    @Test
    void aConsumerThatStopsAckingBuildsABacklogThatDrainsWhenItAcksAgain() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        MQProducer producer = account.mq.getProducer(instance, topic);
        // A 1 s retry interval (production: 5 min), so that unacknowledged messages come back within the test.
        ConsumerSettings.set(account.suite, account.key.accountId(), instance, group, 1_000, null);
        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, "TagA");
        MessagingAccount.poll(consumer, 1, 1);
        for (int i = 0; i < 5; i++) {
            producer.publishMessage(new TopicMessage(("a" + i).getBytes(StandardCharsets.UTF_8), "TagA"));
        }
        List<Message> unacked = MessagingAccount.consume(consumer, 5, 30_000);
        assertEquals(5, unacked.size());
        OnsConsumerAccumulateResponse.Data first = accumulate(group, true);
        assertEquals(5, first.getTotalDiff());
        assertTrue(first.getOnline());
        assertEquals(topic, first.getDetailInTopicList().get(0).getTopic());
        Thread.sleep(1_500);
        for (int i = 0; i < 3; i++) {
            producer.publishMessage(new TopicMessage(("b" + i).getBytes(StandardCharsets.UTF_8), "TagA"));
        }
        OnsConsumerAccumulateResponse.Data grown = await(() -> accumulate(group, false),
                d -> d.getTotalDiff() == 8, 20_000);
        assertTrue(grown.getDelayTime() > first.getDelayTime(), first.getDelayTime() + " -> " + grown.getDelayTime());

        // Its connection shows while it polls.
        OnsConsumerGetConnectionResponse.Data.ConnectionDo connection = connections(group).get(0);
        assertFalse(connection.getClientId().isEmpty());
        assertTrue(connection.getClientAddr().startsWith("127.0.0.1:"), connection.getClientAddr());
        // Language and version from the User-Agent the official SDK sends (mq-java-sdk/1.0.3.2(...)).
        assertEquals("JAVA", connection.getLanguage());
        assertEquals("1.0.3.2", connection.getVersion());
        OnsConsumerStatusRequest statusRequest = new OnsConsumerStatusRequest();
        statusRequest.setInstanceId(instance);
        statusRequest.setGroupId(group);
        statusRequest.setDetail(true);
        OnsConsumerStatusResponse.Data status = account.ons.call(statusRequest).getData();
        assertTrue(status.getOnline());
        assertTrue(status.getSubscriptionSame());
        assertEquals("TagA", status.getConsumerConnectionInfoList().get(0).getSubscriptionSet().get(0).getSubString());
        OnsGroupSubDetailRequest subRequest = new OnsGroupSubDetailRequest();
        subRequest.setInstanceId(instance);
        subRequest.setGroupId(group);
        OnsGroupSubDetailResponse.Data sub = account.ons.call(subRequest).getData();
        assertEquals(topic, sub.getSubscriptionDataList().get(0).getTopic());
        OnsTopicSubDetailRequest topicSub = new OnsTopicSubDetailRequest();
        topicSub.setInstanceId(instance);
        topicSub.setTopic(topic);
        OnsTopicSubDetailResponse.Data subscribers = account.ons.call(topicSub).getData();
        assertEquals(group, subscribers.getSubscriptionDataList().get(0).getGroupId());

        // The consumer acks again: the backlog drains to zero (the unacked ones come back after the retry interval).
        long deadline = System.currentTimeMillis() + 60_000;
        OnsConsumerAccumulateResponse.Data now = accumulate(group, false);
        while (now.getTotalDiff() > 0 && System.currentTimeMillis() < deadline) {
            List<Message> got = MessagingAccount.poll(consumer, 16, 2);
            if (!got.isEmpty()) {
                consumer.ackMessage(MessagingAccount.handles(got));
            }
            now = accumulate(group, false);
        }
        assertEquals(0, now.getTotalDiff());
        assertEquals(0, now.getDelayTime());

        // It stops polling: after the online window (8 s in the e2e suite) it is gone.
        OnsConsumerGetConnectionResponse.Data gone = await(() -> connectionData(group),
                d -> d.getConnectionList().isEmpty(), account.suite.consumerOnlineWindow().toMillis() + 22_000);
        assertTrue(gone.getConnectionList().isEmpty());
        assertFalse(accumulate(group, false).getOnline());
    }

    @Test
    void aResetToATimestampMakesTheConsumerReceiveTheMessagesAfterItAgain() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        MQProducer producer = account.mq.getProducer(instance, topic);
        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);
        MessagingAccount.poll(consumer, 1, 1);
        for (int i = 0; i < 3; i++) {
            producer.publishMessage(new TopicMessage(("old" + i).getBytes(StandardCharsets.UTF_8), ""));
        }
        Thread.sleep(200);
        Set<String> later = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            later.add(producer.publishMessage(new TopicMessage(("new" + i).getBytes(StandardCharsets.UTF_8), ""))
                    .getMessageId());
        }
        List<Message> all = MessagingAccount.consume(consumer, 6, 30_000);
        assertEquals(6, all.size());
        consumer.ackMessage(MessagingAccount.handles(all));
        long resetTo = all.stream().filter(m -> later.contains(m.getMessageId())).mapToLong(Message::getPublishTime)
                .min().orElseThrow();

        OnsConsumerTimeSpanRequest spanRequest = new OnsConsumerTimeSpanRequest();
        spanRequest.setInstanceId(instance);
        spanRequest.setGroupId(group);
        spanRequest.setTopic(topic);
        OnsConsumerTimeSpanResponse.Data span = account.ons.call(spanRequest).getData();
        assertTrue(span.getMinTimeStamp() < resetTo && resetTo <= span.getMaxTimeStamp(), span.getMinTimeStamp()
                + " " + resetTo + " " + span.getMaxTimeStamp());
        assertEquals(span.getMaxTimeStamp(), span.getConsumeTimeStamp());

        OnsConsumerResetOffsetRequest reset = new OnsConsumerResetOffsetRequest();
        reset.setInstanceId(instance);
        reset.setGroupId(group);
        reset.setTopic(topic);
        reset.setType(1);
        reset.setResetTimestamp(resetTo);
        account.ons.call(reset);
        List<Message> replayed = MessagingAccount.consume(consumer, 4, 8_000);
        Set<String> ids = new HashSet<>();
        replayed.forEach(m -> ids.add(m.getMessageId()));
        assertEquals(later, ids, "exactly the messages stored from the reset time on, once more");
        consumer.ackMessage(MessagingAccount.handles(replayed));
    }

    @Test
    void anAlwaysFailingMessageIsDeadLetteredAfterTheMaximumAndResentToItsGroupOnly() throws Exception {
        String topic = account.topic(instance, 0);
        String failing = account.group(instance);
        String other = account.group(instance);
        String settings = ConsumerSettings.set(account.suite, account.key.accountId(), instance, failing, 1_000, 3);
        assertTrue(settings.contains("\"maxReconsumeTimes\":3") && settings.contains("\"invisibleTimeMillis\":1000"),
                settings);
        MQConsumer bad = account.mq.getConsumer(instance, topic, failing, null);
        MQConsumer good = account.mq.getConsumer(instance, topic, other, null);
        MessagingAccount.poll(bad, 1, 1);
        MessagingAccount.poll(good, 1, 1);
        long before = System.currentTimeMillis();
        String msgId = account.mq.getProducer(instance, topic).publishMessage(
                new TopicMessage("cannot be processed".getBytes(StandardCharsets.UTF_8), "Bad")).getMessageId();
        List<Integer> attempts = new ArrayList<>();
        long until = System.currentTimeMillis() + 12_000;
        while (System.currentTimeMillis() < until) {
            for (Message m : MessagingAccount.poll(bad, 16, 2)) {
                assertEquals(msgId, m.getMessageId());
                attempts.add(m.getConsumedTimes());
            }
        }
        assertEquals(List.of(1, 2, 3, 4), attempts, "1 delivery and 3 redeliveries, then the dead-letter queue");
        List<Message> fine = MessagingAccount.consume(good, 1, 10_000);
        good.ackMessage(MessagingAccount.handles(fine));

        OnsDLQMessageGetByIdRequest byId = new OnsDLQMessageGetByIdRequest();
        byId.setInstanceId(instance);
        byId.setGroupId(failing);
        byId.setMsgId(msgId);
        OnsDLQMessageGetByIdResponse.Data dead = account.ons.call(byId).getData();
        assertEquals(3, dead.getReconsumeTimes());
        assertEquals("cannot be processed", dead.getBody());
        OnsDLQMessagePageQueryByGroupIdRequest page = new OnsDLQMessagePageQueryByGroupIdRequest();
        page.setInstanceId(instance);
        page.setGroupId(failing);
        page.setBeginTime(before);
        page.setEndTime(System.currentTimeMillis() + 1_000);
        page.setCurrentPage(1);
        OnsDLQMessagePageQueryByGroupIdResponse.MsgFoundDo found = account.ons.call(page).getMsgFoundDo();
        assertEquals(msgId, found.getMsgFoundList().get(0).getMsgId());
        assertNotNull(found.getTaskId());
        OnsMessageTraceRequest traceRequest = new OnsMessageTraceRequest();
        traceRequest.setInstanceId(instance);
        traceRequest.setTopic(topic);
        traceRequest.setMsgId(msgId);
        Map<String, String> tracks = new HashMap<>();
        for (OnsMessageTraceResponse.MessageTrack t : account.ons.call(traceRequest).getData()) {
            tracks.put(t.getConsumerGroup(), t.getTrackType());
        }
        assertEquals("CONSUMED", tracks.get(other), tracks.toString());

        OnsDLQMessageResendByIdRequest resend = new OnsDLQMessageResendByIdRequest();
        resend.setInstanceId(instance);
        resend.setGroupId(failing);
        resend.setMsgId(msgId);
        OnsDLQMessageResendByIdResponse resent = account.ons.call(resend);
        assertTrue(resent.getData().isEmpty(), "no id failed: " + resent.getData());
        List<Message> again = MessagingAccount.consume(bad, 1, 10_000);
        assertEquals(msgId, again.get(0).getMessageId());
        bad.ackMessage(MessagingAccount.handles(again));
        assertTrue(MessagingAccount.poll(good, 16, 3).isEmpty(), "the other group on the topic does not get the resend");
    }

    @Test
    void aPushReachesTheNamedClientOnly() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        String msgId = account.mq.getProducer(instance, topic).publishMessage(
                new TopicMessage("push me".getBytes(StandardCharsets.UTF_8), "P")).getMessageId();
        // Two consumer processes: each client has its own connection (and so its own ClientId). The SDK shares one
        // connection pool between MQClients of equal configuration in a JVM: the second gets its own configuration,
        // as it would have in a process of its own.
        ClientConfiguration ownPool = new ClientConfiguration();
        ownPool.setMaxConnections(ownPool.getMaxConnections() + 1);
        MQClient secondClient = new MQClient(account.suite.endpoint(), account.key.accessKeyId(),
                account.key.accessKeySecret(), ownPool);
        try {
            MQConsumer target = account.mq.getConsumer(instance, topic, group, null);
            List<Message> original = MessagingAccount.consume(target, 1, 20_000);
            target.ackMessage(MessagingAccount.handles(original));
            String targetId = connections(group).get(0).getClientId();
            MQConsumer bystander = secondClient.getConsumer(instance, topic, group, null);
            MessagingAccount.poll(bystander, 1, 1);
            List<String> ids = connections(group).stream().map(c -> c.getClientId()).toList();
            assertEquals(2, ids.size(), ids.toString());
            assertTrue(ids.contains(targetId));

            OnsMessagePushRequest push = new OnsMessagePushRequest();
            push.setInstanceId(instance);
            push.setGroupId(group);
            push.setClientId(targetId);
            push.setMsgId(msgId);
            push.setTopic(topic);
            account.ons.call(push);
            assertTrue(MessagingAccount.poll(bystander, 16, 2).isEmpty(), "another client of the group does not receive it");
            List<Message> pushed = MessagingAccount.consume(target, 1, 10_000);
            assertEquals(1, pushed.size());
            assertNotEquals(msgId, pushed.get(0).getMessageId(), "a new message with a new id");
            assertEquals("push me", pushed.get(0).getMessageBodyString());
            target.ackMessage(MessagingAccount.handles(pushed));

            push.setClientId("192.0.2.1@1#00000000");
            ClientException offline = assertThrows(ClientException.class, () -> account.ons.call(push));
            assertEquals("BIZ_CONSUMER_NOT_ONLINE", offline.getErrCode());
        } finally {
            secondClient.close();
        }
    }

    @Test
    void aPlainKafkaConsumerGroupIsShownAndResetLikeAnyOther() throws Exception {
        String topic = account.topic(instance, 0);
        String group = Names.groupId("kafka");
        Fixtures.group(account.ons, instance, group, "tcp");
        MQProducer producer = account.mq.getProducer(instance, topic);
        for (int i = 0; i < 6; i++) {
            producer.publishMessage(new TopicMessage(("k" + i).getBytes(StandardCharsets.UTF_8), ""));
        }
        Properties config = new Properties();
        config.put("bootstrap.servers", account.suite.kafkaBootstrap());
        config.put("group.id", instance + "." + group); // docs/kafka-native-clients.md
        config.put("client.id", "plain-kafka");
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", "false");
        config.put("key.deserializer", ByteArrayDeserializer.class.getName());
        config.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(config)) {
            kafka.subscribe(List.of(instance + "." + topic));
            int read = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (read < 6 && System.currentTimeMillis() < deadline) {
                read += kafka.poll(Duration.ofMillis(500)).count();
            }
            assertEquals(6, read);
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            kafka.assignment().forEach(tp -> commit.put(tp, new OffsetAndMetadata(kafka.position(tp))));
            kafka.commitSync(commit);
            OnsConsumerAccumulateResponse.Data acc = accumulate(group, true);
            assertEquals(0, acc.getTotalDiff());
            assertTrue(acc.getOnline());
            List<OnsConsumerGetConnectionResponse.Data.ConnectionDo> members = connections(group);
            assertEquals(1, members.size());
            assertTrue(members.get(0).getClientId().startsWith("plain-kafka"), members.get(0).getClientId());
            OnsConsumerResetOffsetRequest busy = new OnsConsumerResetOffsetRequest();
            busy.setInstanceId(instance);
            busy.setGroupId(group);
            busy.setTopic(topic);
            busy.setType(0);
            ClientException refused = assertThrows(ClientException.class, () -> account.ons.call(busy));
            assertEquals("BIZ_CONSUMER_ONLINE", refused.getErrCode());
        }
        for (int i = 0; i < 2; i++) {
            producer.publishMessage(new TopicMessage(("late" + i).getBytes(StandardCharsets.UTF_8), ""));
        }
        OnsConsumerAccumulateResponse.Data behind = await(() -> accumulate(group, false),
                d -> d.getTotalDiff() == 2, 20_000);
        assertFalse(behind.getOnline());
        assertTrue(connections(group).isEmpty());
        OnsConsumerTimeSpanRequest spanRequest = new OnsConsumerTimeSpanRequest();
        spanRequest.setInstanceId(instance);
        spanRequest.setGroupId(group);
        spanRequest.setTopic(topic);
        OnsConsumerTimeSpanResponse.Data span = account.ons.call(spanRequest).getData();
        assertTrue(span.getConsumeTimeStamp() >= span.getMinTimeStamp());
        assertTrue(span.getConsumeTimeStamp() <= span.getMaxTimeStamp());
        OnsConsumerResetOffsetRequest reset = new OnsConsumerResetOffsetRequest();
        reset.setInstanceId(instance);
        reset.setGroupId(group);
        reset.setTopic(topic);
        reset.setType(1);
        reset.setResetTimestamp(span.getMinTimeStamp());
        account.ons.call(reset);
        assertEquals(8, accumulate(group, false).getTotalDiff());
        reset.setType(0);
        account.ons.call(reset);
        assertEquals(0, accumulate(group, false).getTotalDiff());
    }

    // ---- helpers ----

    private static OnsConsumerAccumulateResponse.Data accumulate(String group, boolean detail) throws Exception {
        OnsConsumerAccumulateRequest request = new OnsConsumerAccumulateRequest();
        request.setInstanceId(instance);
        request.setGroupId(group);
        request.setDetail(detail);
        return account.ons.call(request).getData();
    }

    private static OnsConsumerGetConnectionResponse.Data connectionData(String group) throws Exception {
        OnsConsumerGetConnectionRequest request = new OnsConsumerGetConnectionRequest();
        request.setInstanceId(instance);
        request.setGroupId(group);
        return account.ons.call(request).getData();
    }

    private static List<OnsConsumerGetConnectionResponse.Data.ConnectionDo> connections(String group)
            throws Exception {
        return connectionData(group).getConnectionList();
    }


    @FunctionalInterface
    private interface Call<T> {
        T get() throws Exception;
    }

    private static <T> T await(Call<T> call, Predicate<T> done, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        T last = call.get();
        while (!done.test(last) && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            last = call.get();
        }
        return last;
    }
}
