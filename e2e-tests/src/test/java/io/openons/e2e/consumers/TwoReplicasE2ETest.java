package io.openons.e2e.consumers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyuncs.ons.model.v20190214.OnsConsumerAccumulateRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openons.contracts.messaging.MessagingApi;
import io.openons.contracts.operation.InternalHeaders;
import io.openons.e2e.Suite;
import io.openons.e2e.messaging.MessagingAccount;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, correctness under concurrency: two message-service replicas (one more process started next to the
 * suite's, on the same PostgreSQL and Kafka) serve one group at once. Consumers on both take messages as fast as
 * they can; while the receipts are valid no message is handed out twice, and OnsConsumerAccumulate (through the
 * gateway with the official SDK) counts exactly the messages not yet acknowledged, whichever replica delivered or
 * acknowledged them.
 */
class TwoReplicasE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int MESSAGES = 400;

    private static MessagingAccount account;
    private static String instance;
    private static String replica;

    @BeforeAll
    static void setUp() throws Exception {
        Suite.get().requireOwnSuite("it starts a second message-service replica");
        account = MessagingAccount.create("two-replicas");
        instance = account.instance();
        replica = account.suite.startReplica("message-service");
    }

    @AfterAll
    static void close() {
        if (account != null) {
            account.close();
        }
    }

    @Test
    void twoReplicasNeverHandOutOneMessageTwiceAndTheBacklogCountsWhatIsNotAcknowledged() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        // Receipts stay valid for the whole test: any second delivery would be a duplicate, not a retry.
        ConsumerSettings.set(account.suite, account.key.accountId(), instance, group, 600_000, null);
        List<String> replicas = List.of(account.suite.serviceUrl("message-service"), replica);
        consume(replicas.get(0), topic, group, 1, 0); // the group's position starts before the messages

        // Six consumers, three on each replica, race for the messages; they are polling before the first message
        // is published, so that both replicas' long polls are waiting when messages arrive (when they were
        // published first, one replica's consumers could drain all of them before the other's first poll).
        Map<String, String> handles = new ConcurrentHashMap<>();
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        Map<String, String> deliveredBy = new ConcurrentHashMap<>();
        AtomicInteger fromReplica = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> consumers = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 90_000;
            for (int c = 0; c < 6; c++) {
                String url = replicas.get(c % 2);
                consumers.add(pool.submit(() -> {
                    while (handles.size() < MESSAGES && System.currentTimeMillis() < deadline) {
                        for (JsonNode m : consume(url, topic, group, 16, 1)) {
                            String id = m.get("msgId").asText();
                            deliveries.merge(id, 1, Integer::sum);
                            handles.put(id, m.get("receiptHandle").asText());
                            deliveredBy.put(id, url);
                            if (url.equals(replica)) {
                                fromReplica.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            MQProducer producer = account.mq.getProducer(instance, topic);
            for (int i = 0; i < MESSAGES; i++) {
                producer.publishMessage(new TopicMessage(("m" + i).getBytes(StandardCharsets.UTF_8), "T"));
            }
            for (Future<?> f : consumers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> twice = deliveries.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .toList();
        assertEquals(List.of(), twice, "messages handed out twice while their receipts were valid");
        assertEquals(MESSAGES, handles.size(), "every message delivered once");
        assertTrue(fromReplica.get() > 0 && fromReplica.get() < MESSAGES,
                "both replicas served the group (second replica: " + fromReplica.get() + ")");

        // Nothing acknowledged yet: the whole backlog is in flight.
        assertEquals(MESSAGES, totalDiff(group));
        // Acknowledge half, each on the replica that did NOT deliver it.
        List<String> ids = new ArrayList<>(handles.keySet());
        Collections.sort(ids);
        List<String> firstHalf = ids.subList(0, MESSAGES / 2);
        for (String url : replicas) {
            List<String> mine = new ArrayList<>();
            for (String id : firstHalf) {
                if (!deliveredBy.get(id).equals(url)) {
                    mine.add(handles.get(id));
                }
            }
            for (int i = 0; i < mine.size(); i += 16) {
                ack(url, topic, group, mine.subList(i, Math.min(mine.size(), i + 16)));
            }
        }
        assertEquals(MESSAGES - MESSAGES / 2, totalDiff(group));
        List<String> rest = new ArrayList<>();
        for (String id : ids.subList(MESSAGES / 2, MESSAGES)) {
            rest.add(handles.get(id));
        }
        for (int i = 0; i < rest.size(); i += 16) {
            ack(replicas.get(i / 16 % 2), topic, group, rest.subList(i, Math.min(rest.size(), i + 16)));
        }
        assertEquals(0, totalDiff(group));
        assertTrue(consume(replica, topic, group, 16, 0).isEmpty(), "nothing is left to deliver");
    }

    private static long totalDiff(String group) throws Exception {
        OnsConsumerAccumulateRequest request = new OnsConsumerAccumulateRequest();
        request.setInstanceId(instance);
        request.setGroupId(group);
        return account.ons.call(request).getData().getTotalDiff();
    }

    private static List<JsonNode> consume(String url, String topic, String group, int n, int waitSeconds) {
        ObjectNode body = JSON.createObjectNode().put("instanceId", instance).put("topic", topic)
                .put("groupId", group).put("numOfMessages", n).put("waitSeconds", waitSeconds)
                .put("mode", "NORMAL").put("clientHost", "127.0.0.1:" + (40_000 + url.hashCode() % 1000));
        JsonNode answer = post(url + MessagingApi.PATH + MessagingApi.CONSUME, body);
        List<JsonNode> out = new ArrayList<>();
        answer.get("messages").forEach(out::add);
        return out;
    }

    private static void ack(String url, String topic, String group, List<String> receiptHandles) {
        ObjectNode body = JSON.createObjectNode().put("instanceId", instance).put("topic", topic)
                .put("groupId", group).put("mode", "ACK").put("clientHost", "127.0.0.1:1");
        receiptHandles.forEach(body.putArray("receiptHandles")::add);
        JsonNode answer = post(url + MessagingApi.PATH + MessagingApi.ACK, body);
        assertTrue(answer.path("failures").isEmpty(), "every handle acknowledged: " + answer);
    }

    private static JsonNode post(String url, ObjectNode body) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(40))
                            .header("Content-Type", "application/json")
                            .header(InternalHeaders.ACCOUNT_ID, account.key.accountId())
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), url + " answered " + r.body());
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
