package io.openons.message.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.messaging.AckMode;
import io.openons.contracts.messaging.ConsumeCommand;
import io.openons.contracts.messaging.ConsumeMode;
import io.openons.contracts.messaging.ConsumeResult;
import io.openons.contracts.messaging.ConsumedMessage;
import io.openons.contracts.messaging.MessagingApi;
import io.openons.contracts.messaging.PublishReceipt;
import io.openons.message.support.Api;
import io.openons.message.support.Flow;
import io.openons.message.support.TestResources;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The consumer-management and dead-letter Actions against real PostgreSQL and Kafka, from live consumption. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class ConsumerActionsTest {

    private static final String ACCOUNT = "1000000000000404";

    private Flow topic(int messageType) {
        String instance = TestResources.newInstance(ACCOUNT);
        String topic = TestResources.unique("topic");
        TestResources.newTopic(ACCOUNT, instance, topic, messageType, 6);
        return new Flow(ACCOUNT, instance, topic);
    }

    private String group(Flow flow, String type) {
        String group = "GID_" + TestResources.unique("g");
        TestResources.newGroup(ACCOUNT, flow.instanceId(), group, type, true);
        return group;
    }

    private JsonPath action(String action, Map<String, ?> params) {
        Response r = Api.operation(ACCOUNT, action, params);
        assertEquals(200, r.statusCode(), action + ": " + r.asString());
        return r.jsonPath();
    }

    private static List<ConsumedMessage> take(Flow flow, String group, String clientHost, int n, int wait,
            String tags) {
        Response r = Api.messaging(flow.accountId(), MessagingApi.CONSUME, new ConsumeCommand(flow.instanceId(),
                flow.topic(), group, n, wait, tags, ConsumeMode.NORMAL, clientHost, null,
                "mq-java-sdk/1.0.3.2(Linux/6.1;Java/17)"));
        assertEquals(200, r.statusCode(), r.asString());
        return r.as(ConsumeResult.class).messages();
    }

    private static List<String> handles(List<ConsumedMessage> got) {
        return got.stream().map(ConsumedMessage::receiptHandle).toList();
    }

    private void settings(Flow flow, String group, long invisible, Integer max) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("invisibleTimeMillis", invisible);
        if (max != null) {
            body.put("maxReconsumeTimes", max);
        }
        Api.groupSettings(ACCOUNT, flow.instanceId(), group, body).then().statusCode(200);
    }

    @Test
    void accumulateCountsExactlyWhatIsNotConsumedAndDrainsToZero() throws Exception {
        Flow flow = topic(0);
        String group = group(flow, "http");
        for (int i = 0; i < 10; i++) {
            flow.publish("m" + i, "A", Map.of());
        }
        List<ConsumedMessage> first = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 15_000;
        while (first.size() < 4 && System.currentTimeMillis() < deadline) {
            first.addAll(take(flow, group, "10.0.0.1:4000", 4 - first.size(), 2, "*"));
        }
        assertEquals(4, first.size());
        Thread.sleep(30);
        JsonPath acc = action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group,
                "Detail", true));
        assertEquals(10, acc.getLong("Data.TotalDiff"), acc.prettify());
        assertTrue(acc.getLong("Data.DelayTime") > 0, acc.prettify());
        assertTrue(acc.getBoolean("Data.Online"));
        assertEquals(flow.topic(), acc.getString("Data.DetailInTopicList.DetailInTopicDo[0].Topic"));
        assertEquals(10, acc.getLong("Data.DetailInTopicList.DetailInTopicDo[0].TotalDiff"));
        assertFalse(acc.getMap("Data").containsKey("ConsumeTps"), "no stats-service here: left out, not invented");
        // Without Detail the list is empty.
        assertEquals(List.of(), action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(),
                "GroupId", group)).getList("Data.DetailInTopicList.DetailInTopicDo"));

        assertEquals(List.of(), flow.ack(group, handles(first), AckMode.ACK));
        assertEquals(6, action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group))
                .getLong("Data.TotalDiff"));
        List<ConsumedMessage> rest = new ArrayList<>();
        deadline = System.currentTimeMillis() + 15_000;
        while (rest.size() < 6 && System.currentTimeMillis() < deadline) {
            rest.addAll(take(flow, group, "10.0.0.1:4000", 16, 2, "*"));
        }
        flow.ack(group, handles(rest), AckMode.ACK);
        acc = action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group));
        assertEquals(0, acc.getLong("Data.TotalDiff"), acc.prettify());
        assertEquals(0, acc.getLong("Data.DelayTime"));
        assertTrue(acc.getLong("Data.LastTimestamp") > 0);
    }

    @Test
    void connectionsAppearWhilePollingAndDisappearAfterTheWindow() throws Exception {
        Flow flow = topic(0);
        String group = group(flow, "http");
        take(flow, group, "10.0.0.2:5001", 1, 0, "A||B");
        take(flow, group, "10.0.0.3:5002", 1, 0, "A");
        JsonPath con = action("OnsConsumerGetConnection", Map.of("InstanceId", flow.instanceId(), "GroupId", group));
        List<Map<String, String>> list = con.getList("Data.ConnectionList.ConnectionDo");
        assertEquals(2, list.size(), con.prettify());
        String clientId = ConsumerRegistry.clientId(null, "10.0.0.2:5001", "mq-java-sdk/1.0.3.2(Linux/6.1;Java/17)");
        assertEquals(clientId, list.get(0).get("ClientId"));
        assertTrue(clientId.startsWith("10.0.0.2@5001#"), clientId);
        assertEquals("10.0.0.2:5001", list.get(0).get("ClientAddr"));
        assertEquals("JAVA", list.get(0).get("Language"));
        assertEquals("1.0.3.2", list.get(0).get("Version"));

        JsonPath status = action("OnsConsumerStatus", Map.of("InstanceId", flow.instanceId(), "GroupId", group,
                "Detail", true));
        assertFalse(status.getBoolean("Data.SubscriptionSame"), "A||B and A differ: " + status.prettify());
        assertFalse(status.getBoolean("Data.RebalanceOK"));
        assertEquals("PULL", status.getString("Data.ConsumerConnectionInfoList.ConsumerConnectionInfoDo[0].ConsumeType"));
        assertEquals(List.of("A", "B"), status.getList(
                "Data.ConsumerConnectionInfoList.ConsumerConnectionInfoDo[0].SubscriptionSet.SubscriptionData[0].TagsSet.Tag"));
        JsonPath sub = action("OnsGroupSubDetail", Map.of("InstanceId", flow.instanceId(), "GroupId", group));
        assertTrue(sub.getBoolean("Data.Online"));
        assertEquals(2, sub.getList("Data.SubscriptionDataList.SubscriptionDataList").size(), sub.prettify());
        JsonPath topicSub = action("OnsTopicSubDetail", Map.of("InstanceId", flow.instanceId(), "Topic", flow.topic()));
        assertEquals(Set.of("A||B", "A"), new HashSet<>(topicSub.getList(
                "Data.SubscriptionDataList.SubscriptionDataList.SubString")));

        // Only the first keeps polling; the other drops out after the online window (8 s in tests: long enough
        // for the checks above on a loaded machine).
        long until = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < until) {
            take(flow, group, "10.0.0.2:5001", 1, 1, "A");
        }
        list = action("OnsConsumerGetConnection", Map.of("InstanceId", flow.instanceId(), "GroupId", group))
                .getList("Data.ConnectionList.ConnectionDo");
        assertEquals(1, list.size(), list.toString());
        assertEquals(clientId, list.get(0).get("ClientId"));
        status = action("OnsConsumerStatus", Map.of("InstanceId", flow.instanceId(), "GroupId", group));
        assertTrue(status.getBoolean("Data.SubscriptionSame"));
        assertTrue(status.getBoolean("Data.RebalanceOK"));
        Thread.sleep(9_000);
        assertEquals(List.of(), action("OnsConsumerGetConnection", Map.of("InstanceId", flow.instanceId(),
                "GroupId", group)).getList("Data.ConnectionList.ConnectionDo"));
        JsonPath offline = action("OnsGroupSubDetail", Map.of("InstanceId", flow.instanceId(), "GroupId", group));
        assertFalse(offline.getBoolean("Data.Online"));
        assertEquals(List.of(), offline.getList("Data.SubscriptionDataList.SubscriptionDataList"));
    }

    @Test
    void aMessageThatAlwaysFailsIsDeadLetteredAfterExactlyTheMaximumAndResentToItsGroupOnly() throws Exception {
        Flow flow = topic(0);
        String group = group(flow, "http");
        String other = group(flow, "http");
        settings(flow, group, 1000, 2);
        take(flow, other, "10.0.0.9:1", 1, 0, "*");
        PublishReceipt sent = flow.publish("poison", "T", Map.of("KEYS", "k-poison"));
        List<Integer> attempts = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        long started = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - started < 8_000) {
            for (ConsumedMessage m : take(flow, group, "10.0.0.4:6000", 1, 2, "*")) {
                assertEquals(sent.msgId(), m.msgId());
                attempts.add(m.consumedTimes());
            }
        }
        assertEquals(List.of(1, 2, 3), attempts, "1 delivery + maxReconsumeTimes (2) redeliveries, then the DLQ");
        JsonPath dlq = action("OnsDLQMessageGetById", Map.of("InstanceId", flow.instanceId(), "GroupId", group,
                "MsgId", sent.msgId()));
        assertEquals(2, dlq.getInt("Data.ReconsumeTimes"));
        assertEquals("poison", dlq.getString("Data.Body"));
        assertEquals(flow.topic(), dlq.getString("Data.Topic"));
        assertEquals(0, action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group))
                .getLong("Data.TotalDiff"), "a dead letter is not backlog");
        Response missing = Api.operation(ACCOUNT, "OnsDLQMessageGetById", Map.of("InstanceId", flow.instanceId(),
                "GroupId", other, "MsgId", sent.msgId()));
        assertEquals("BIZ_NO_MESSAGE", missing.jsonPath().getString("Code"));

        // The other group consumes it normally and acks it.
        List<ConsumedMessage> o = flow.consumeAll(other, 1, "*", ConsumeMode.NORMAL, 10_000);
        flow.ack(other, handles(o), AckMode.ACK);

        JsonPath resend = action("OnsDLQMessageResendById", Map.of("GroupId", group, "MsgId", sent.msgId()));
        assertEquals(List.of(), resend.getList("Data.MsgId"), "nothing failed (InstanceId inferred)");
        assertEquals(List.of("NOPE00000000000000000000000000AA"), action("OnsDLQMessageResendById",
                Map.of("InstanceId", flow.instanceId(), "GroupId", group, "MsgId", "NOPE00000000000000000000000000AA"))
                .getList("Data.MsgId"));
        List<ConsumedMessage> again = take(flow, group, "10.0.0.4:6000", 1, 5, "*");
        assertEquals(1, again.size());
        assertEquals(sent.msgId(), again.get(0).msgId());
        assertEquals("poison", again.get(0).body());
        assertEquals(List.of(), take(flow, other, "10.0.0.9:1", 1, 2, "*"), "the other group gets no resend");
        // It fails again: after 2 more redeliveries it re-enters the DLQ under the same id.
        deadline = System.currentTimeMillis() + 15_000;
        int seen = 1;
        while (System.currentTimeMillis() < deadline && seen < 3) {
            seen += take(flow, group, "10.0.0.4:6000", 1, 2, "*").size();
        }
        assertEquals(3, seen);
        Thread.sleep(2_500);
        JsonPath page = action("OnsDLQMessagePageQueryByGroupId", Map.of("InstanceId", flow.instanceId(),
                "GroupId", group, "BeginTime", started - 1000, "EndTime", System.currentTimeMillis() + 1000,
                "PageSize", 5));
        List<String> ids = page.getList("MsgFoundDo.MsgFoundList.OnsRestMessageDo.MsgId");
        assertEquals(List.of(sent.msgId(), sent.msgId()), ids, page.prettify());
        assertEquals(1, page.getInt("MsgFoundDo.MaxPageCount"));
        String taskId = page.getString("MsgFoundDo.TaskId");
        assertEquals(ids, action("OnsDLQMessagePageQueryByGroupId", Map.of("InstanceId", flow.instanceId(),
                "GroupId", group, "TaskId", taskId, "CurrentPage", 1))
                .getList("MsgFoundDo.MsgFoundList.OnsRestMessageDo.MsgId"));
        JsonPath trace = action("OnsMessageTrace", Map.of("InstanceId", flow.instanceId(), "Topic", flow.topic(),
                "MsgId", sent.msgId()));
        Map<String, String> types = new java.util.HashMap<>();
        for (Map<String, String> t : trace.<Map<String, String>>getList("Data.MessageTrack")) {
            types.put(t.get("ConsumerGroup"), t.get("TrackType"));
        }
        assertEquals("CONSUMED", types.get(other), trace.prettify());
        assertEquals("UNKNOWN", types.get(group), trace.prettify());
    }

    @Test
    void aResetToATimestampReplaysAndTypeZeroSkipsTheBacklog() throws Exception {
        Flow flow = topic(0);
        String group = group(flow, "http");
        take(flow, group, "10.0.0.5:7000", 1, 0, "*");
        for (int i = 0; i < 3; i++) {
            flow.publish("early" + i, null, Map.of());
        }
        Thread.sleep(50);
        List<PublishReceipt> late = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            late.add(flow.publish("late" + i, null, Map.of()));
        }
        List<ConsumedMessage> all = flow.consumeAll(group, 6, "*", ConsumeMode.NORMAL, 15_000);
        assertEquals(6, all.size());
        flow.ack(group, handles(all), AckMode.ACK);
        long lateStored = all.stream().filter(m -> m.body().equals("late0")).findFirst().orElseThrow().publishTime();
        JsonPath span = indexedTimeSpan(flow, group);
        long min = span.getLong("Data.MinTimeStamp");
        long max = span.getLong("Data.MaxTimeStamp");
        assertTrue(min < lateStored && lateStored <= max, span.prettify());
        assertEquals(max, span.getLong("Data.ConsumeTimeStamp"));

        Response outside = Api.operation(ACCOUNT, "OnsConsumerResetOffset", Map.of("InstanceId", flow.instanceId(),
                "GroupId", group, "Topic", flow.topic(), "Type", 1, "ResetTimestamp", max + 60_000));
        assertEquals("BIZ_FIELD_CHECK_INVALID", outside.jsonPath().getString("Code"), outside.asString());
        action("OnsConsumerResetOffset", Map.of("InstanceId", flow.instanceId(), "GroupId", group,
                "Topic", flow.topic(), "Type", 1, "ResetTimestamp", lateStored));
        assertEquals(3, action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group))
                .getLong("Data.TotalDiff"));
        List<ConsumedMessage> replay = flow.consumeAll(group, 4, "*", ConsumeMode.NORMAL, 4_000);
        assertEquals(late.stream().map(PublishReceipt::msgId).collect(java.util.stream.Collectors.toSet()),
                replay.stream().map(ConsumedMessage::msgId).collect(java.util.stream.Collectors.toSet()));
        flow.ack(group, handles(replay), AckMode.ACK);

        for (int i = 0; i < 5; i++) {
            flow.publish("skipped" + i, null, Map.of());
        }
        Thread.sleep(500);
        action("OnsConsumerResetOffset", Map.of("InstanceId", flow.instanceId(), "GroupId", group,
                "Topic", flow.topic(), "Type", 0));
        assertEquals(0, action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group))
                .getLong("Data.TotalDiff"));
        assertEquals(List.of(), take(flow, group, "10.0.0.5:7000", 16, 1, "*"));
    }

    @Test
    void aPushReachesOnlyTheNamedOnlineClientAsANewMessage() throws Exception {
        Flow flow = topic(0);
        String group = group(flow, "http");
        PublishReceipt sent = flow.publish("pushed body", "P", Map.of("color", "red"));
        List<ConsumedMessage> got = flow.consumeAll(group, 1, "*", ConsumeMode.NORMAL, 15_000);
        flow.ack(group, handles(got), AckMode.ACK);
        take(flow, group, "10.0.1.1:1111", 1, 0, "*");
        take(flow, group, "10.0.1.2:2222", 1, 0, "*");
        String target = ConsumerRegistry.clientId(null, "10.0.1.2:2222", "mq-java-sdk/1.0.3.2(Linux/6.1;Java/17)");
        action("OnsMessagePush", Map.of("InstanceId", flow.instanceId(), "GroupId", group, "ClientId", target,
                "MsgId", sent.msgId(), "Topic", flow.topic()));
        assertEquals(List.of(), take(flow, group, "10.0.1.1:1111", 16, 1, "*"), "another client gets nothing");
        List<ConsumedMessage> pushed = take(flow, group, "10.0.1.2:2222", 16, 2, "*");
        assertEquals(1, pushed.size());
        assertNotEquals(sent.msgId(), pushed.get(0).msgId(), "a new message with a new id");
        assertEquals("pushed body", pushed.get(0).body());
        assertEquals("red", pushed.get(0).properties().get("color"));
        assertEquals(List.of(), flow.ack(group, handles(pushed), AckMode.ACK));

        Response offline = Api.operation(ACCOUNT, "OnsMessagePush", Map.of("InstanceId", flow.instanceId(),
                "GroupId", group, "ClientId", "10.9.9.9@1#00000000", "MsgId", sent.msgId(), "Topic", flow.topic()));
        assertEquals(409, offline.statusCode());
        assertEquals("BIZ_CONSUMER_NOT_ONLINE", offline.jsonPath().getString("Code"));
    }

    @Test
    void competingConsumersNeverHoldTheSameMessageAndTheBacklogEndsAtZero() throws Exception {
        Flow flow = topic(0);
        String group = group(flow, "http");
        take(flow, group, "10.0.2.0:1", 1, 0, "*");
        int total = 300;
        for (int i = 0; i < total; i++) {
            flow.publishRaw("c" + i, null, Map.of());
        }
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> futures = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 40_000;
        for (int w = 0; w < 6; w++) {
            String host = "10.0.2." + w + ":" + (9000 + w);
            futures.add(pool.submit(() -> {
                while (delivered.size() < total && System.currentTimeMillis() < deadline) {
                    List<ConsumedMessage> got = take(flow, group, host, 16, 1, "*");
                    got.forEach(m -> delivered.add(m.msgId()));
                    if (!got.isEmpty()) {
                        flow.ack(group, handles(got), AckMode.ACK);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertEquals(total, delivered.size(), "every message once (the invisibility of 5 min never ended)");
        assertEquals(total, new HashSet<>(delivered).size(), "no message handed out twice");
        assertEquals(0, action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group))
                .getLong("Data.TotalDiff"));
    }

    @Test
    void aKafkaNativeGroupIsReadAndResetThroughTheAdminApi() throws Exception {
        Flow flow = topic(0);
        String group = group(flow, "tcp");
        for (int i = 0; i < 8; i++) {
            flow.publish("k" + i, null, Map.of());
        }
        String kafkaTopic = flow.instanceId() + "." + flow.topic();
        Map<String, Object> config = Map.of("bootstrap.servers", TestResources.bootstrap(),
                "group.id", flow.instanceId() + "." + group,
                "auto.offset.reset", "earliest", "enable.auto.commit", "false", "client.id", "native-client",
                "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(kafkaTopic));
            int read = 0;
            long deadline = System.currentTimeMillis() + 20_000;
            while (read < 8 && System.currentTimeMillis() < deadline) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
            assertEquals(8, read);
            // Commit only 5 of the 8: partitions at their end except what we hold back.
            Map<TopicPartition, OffsetAndMetadata> commit = new java.util.HashMap<>();
            for (TopicPartition tp : consumer.assignment()) {
                commit.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
            consumer.commitSync(commit);
            JsonPath acc = action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group,
                    "Detail", true));
            assertEquals(0, acc.getLong("Data.TotalDiff"), acc.prettify());
            assertTrue(acc.getBoolean("Data.Online"));
            List<Map<String, String>> con = action("OnsConsumerGetConnection", Map.of("InstanceId", flow.instanceId(),
                    "GroupId", group)).getList("Data.ConnectionList.ConnectionDo");
            assertEquals(1, con.size());
            assertTrue(con.get(0).get("ClientId").startsWith("native-client"), con.toString());
            Response busy = Api.operation(ACCOUNT, "OnsConsumerResetOffset", Map.of("InstanceId", flow.instanceId(),
                    "GroupId", group, "Topic", flow.topic(), "Type", 0));
            assertEquals("BIZ_CONSUMER_ONLINE", busy.jsonPath().getString("Code"), busy.asString());
            assertEquals(Set.of(flow.topic()), new HashSet<>(action("OnsTopicSubDetail", Map.of("InstanceId",
                    flow.instanceId(), "Topic", flow.topic())).getList(
                            "Data.SubscriptionDataList.SubscriptionDataList.GroupId").stream()
                    .map(g -> g.equals(group) ? flow.topic() : g).toList()));
        }
        for (int i = 0; i < 3; i++) {
            flow.publish("more" + i, null, Map.of());
        }
        Thread.sleep(1_000);
        JsonPath acc = action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group));
        assertEquals(3, acc.getLong("Data.TotalDiff"), acc.prettify());
        assertFalse(acc.getBoolean("Data.Online"));
        JsonPath span = indexedTimeSpan(flow, group);
        long min = span.getLong("Data.MinTimeStamp");
        assertTrue(span.getLong("Data.ConsumeTimeStamp") >= min, span.prettify());
        // The group is inactive now: a reset to the earliest message makes all 11 its backlog again.
        action("OnsConsumerResetOffset", Map.of("InstanceId", flow.instanceId(), "GroupId", group,
                "Topic", flow.topic(), "Type", 1, "ResetTimestamp", min));
        assertEquals(11, action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group))
                .getLong("Data.TotalDiff"));
        action("OnsConsumerResetOffset", Map.of("InstanceId", flow.instanceId(), "GroupId", group,
                "Topic", flow.topic(), "Type", 0));
        assertEquals(0, action("OnsConsumerAccumulate", Map.of("InstanceId", flow.instanceId(), "GroupId", group))
                .getLong("Data.TotalDiff"));
    }

    /**
     * OnsConsumerTimeSpan once the topic's messages are indexed (bounded wait): the span comes from the index,
     * which takes up a new topic's partitions when it discovers them.
     */
    private JsonPath indexedTimeSpan(Flow flow, String group) throws InterruptedException {
        Map<String, Object> params = Map.of("InstanceId", flow.instanceId(), "GroupId", group, "Topic", flow.topic());
        JsonPath span = action("OnsConsumerTimeSpan", params);
        for (long deadline = System.currentTimeMillis() + 15_000; span.get("Data.MinTimeStamp") == null
                && System.currentTimeMillis() < deadline; ) {
            Thread.sleep(200);
            span = action("OnsConsumerTimeSpan", params);
        }
        assertNotNull(span.get("Data.MinTimeStamp"), "the topic's messages were never indexed: " + span.prettify());
        return span;
    }
}
