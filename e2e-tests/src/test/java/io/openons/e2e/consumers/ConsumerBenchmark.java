package io.openons.e2e.consumers;

import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.common.ServiceException;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyuncs.ons.model.v20190214.OnsConsumerAccumulateRequest;
import com.aliyuncs.ons.model.v20190214.OnsConsumerAccumulateResponse;
import com.aliyuncs.ons.model.v20190214.OnsTopicStatusRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.operation.InternalHeaders;
import io.openons.e2e.messaging.MessagingAccount;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The consumer benchmark of issue 4 (run by {@code bench/consumers/run.sh}; not part of the normal test run, its
 * class name matches no test pattern):
 * <ol>
 * <li>OnsConsumerAccumulate latency for an HTTP group subscribed to 20 topics with a backlog of 1,000,000
 * messages (50,000 per topic, written by a plain Kafka producer to the topics' Kafka topics and indexed by
 * message-service): sequential calls with {@code Detail=true} and {@code false}, through the gateway with the
 * official ONS SDK, then on message-service's internal API directly. The answer must be true: TotalDiff equals the
 * messages loaded (target p99 &lt;= 50 ms);</li>
 * <li>redelivery timing: a group with a short retry interval, messages consumed with the official MQ HTTP SDK and
 * never acked until their last round; for each redelivery, the wall-clock time the consumer received it again minus
 * the NextConsumeTime its previous delivery announced (target p99 &lt;= 1 s).</li>
 * </ol>
 * Settings: {@code -Dbench.messages} (backlog, default 1,000,000), {@code -Dbench.topics} (20), {@code -Dbench.calls}
 * (500 of each Detail), {@code -Dbench.warmupCalls} (1,000: the services JIT-compile the path meanwhile),
 * {@code -Dbench.redeliveries} (messages of part 2, 300), {@code -Dbench.rounds} (redeliveries of each, 3),
 * {@code -Dbench.retryMillis} (2,000), {@code -Dbench.consumers} (consumer threads of part 2, 4),
 * {@code -Dbench.waitSeconds} (their long-poll wait, 3); {@code -Dbench.holdSeconds} (0) keeps the suite running
 * that long after part 1, with the backlog in place, for inspection (e.g. psql).
 */
class ConsumerBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final StringBuilder REPORT = new StringBuilder();

    /** Prints a line of the report and keeps it for the report file (bench/consumers/run.sh prints that file). */
    private static void out(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.print(line);
        REPORT.append(line);
    }

    @Test
    void accumulateLatencyAndRedeliveryTiming() throws Exception {
        int messages = Integer.getInteger("bench.messages", 1_000_000);
        int topics = Integer.getInteger("bench.topics", 20);
        int calls = Integer.getInteger("bench.calls", 500);
        int warmup = Integer.getInteger("bench.warmupCalls", 1_000);
        int redeliveries = Integer.getInteger("bench.redeliveries", 300);
        int rounds = Integer.getInteger("bench.rounds", 3);
        long retryMillis = Long.getLong("bench.retryMillis", 2_000);
        int consumers = Integer.getInteger("bench.consumers", 4);
        int waitSeconds = Integer.getInteger("bench.waitSeconds", 3);
        try (MessagingAccount account = MessagingAccount.create("bench-consumers")) {
            String messageUrl = account.suite.serviceUrl("message-service");
            String instance = account.instance();
            out("%n=== consumer benchmark (%d cores, suite: %s) ===%n", Runtime.getRuntime().availableProcessors(),
                    account.suite.attached() ? "attached" : "started by the e2e Suite");
            accumulate(account, messageUrl, instance, messages, topics, calls, warmup);
            long hold = Long.getLong("bench.holdSeconds", 0);
            if (hold > 0) {
                System.out.printf("holding the suite for %d s for inspection (backlog in place)%n", hold);
                Thread.sleep(hold * 1_000);
            }
            redelivery(account, instance, redeliveries, rounds, retryMillis, consumers, waitSeconds);
            out("=== end of consumer benchmark ===%n");
        } finally {
            java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("bench.out",
                    "target/consumer-bench.txt"));
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(file, REPORT.toString());
        }
    }

    // ---- 1. OnsConsumerAccumulate over a large backlog ----

    private static void accumulate(MessagingAccount account, String messageUrl, String instance, int messages,
            int topics, int calls, int warmup) throws Exception {
        String group = account.group(instance);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < topics; i++) {
            names.add(account.topic(instance, 0));
        }
        // The group subscribes to every topic: one poll each creates its consume state (cursors at the start).
        for (String topic : names) {
            MessagingAccount.poll(account.mq.getConsumer(instance, topic, group, null), 1, 1);
        }
        int perTopic = messages / topics;
        long total = (long) perTopic * topics;
        String run = HexFormat.of().withUpperCase().formatHex(SecureRandom.getSeed(4));
        byte[] body = new byte[256];
        Arrays.fill(body, (byte) 'b');
        byte[] tag = "TagA".getBytes(StandardCharsets.UTF_8);
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, account.suite.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            // Interleaved across topics, as a backlog builds up in a real group.
            for (int i = 0; i < perTopic; i++) {
                for (int t = 0; t < topics; t++) {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(instance + "." + names.get(t), body);
                    record.headers().add("UNIQ_KEY", String.format("CB%s%02X%022X", run, t, i)
                            .getBytes(StandardCharsets.UTF_8));
                    record.headers().add("TAGS", tag);
                    producer.send(record);
                }
            }
            producer.flush();
        }
        double produced = (System.nanoTime() - started) / 1e9;
        long indexed = 0;
        long deadline = System.nanoTime() + 1_800_000_000_000L;
        long lastPrint = 0;
        while (indexed < total && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            indexed = 0;
            for (String topic : names) {
                OnsTopicStatusRequest status = new OnsTopicStatusRequest();
                status.setInstanceId(instance);
                status.setTopic(topic);
                indexed += account.ons.call(status).getData().getTotalCount();
            }
            if (System.nanoTime() - lastPrint > 15_000_000_000L) {
                lastPrint = System.nanoTime();
                System.out.printf(Locale.ROOT, "  indexed %,d of %,d after %.0f s%n", indexed, total,
                        (lastPrint - started) / 1e9);
            }
        }
        double loaded = (System.nanoTime() - started) / 1e9;
        out("backlog: %,d messages (256 B) in %d topics of one HTTP group, produced by a plain Kafka producer in "
                + "%.1f s, all indexed after %.1f s (%,.0f msg/s)%n", total, topics, produced, loaded,
                total / loaded);
        if (indexed != total) {
            throw new IllegalStateException("only " + indexed + " of " + total + " messages were indexed");
        }

        OnsConsumerAccumulateRequest request = new OnsConsumerAccumulateRequest();
        request.setInstanceId(instance);
        request.setGroupId(group);
        request.setDetail(true);
        OnsConsumerAccumulateResponse.Data data = account.ons.call(request).getData();
        out("OnsConsumerAccumulate: TotalDiff=%,d over %d topics (Detail), DelayTime=%,d ms%n", data.getTotalDiff(),
                data.getDetailInTopicList().size(), data.getDelayTime());
        check(total, data.getTotalDiff(), "TotalDiff");
        check(topics, data.getDetailInTopicList().size(), "topics in the detail");
        for (OnsConsumerAccumulateResponse.Data.DetailInTopicDo d : data.getDetailInTopicList()) {
            check(perTopic, d.getTotalDiff(), "TotalDiff of " + d.getTopic());
        }

        // Detail=false and Detail=true alternate, so that both meet the same noise of the shared machine.
        OnsConsumerAccumulateRequest[] requests = new OnsConsumerAccumulateRequest[2];
        for (int d = 0; d < 2; d++) {
            requests[d] = new OnsConsumerAccumulateRequest();
            requests[d].setInstanceId(instance);
            requests[d].setGroupId(group);
            requests[d].setDetail(d == 1);
        }
        for (int i = 0; i < warmup; i++) {
            account.ons.call(requests[i % 2]);
        }
        long[][] micros = new long[2][calls];
        ServerTime server = ServerTime.of(messageUrl);
        for (int i = 0; i < calls; i++) {
            for (int d = 0; d < 2; d++) {
                long t = System.nanoTime();
                long diff = account.ons.call(requests[d]).getData().getTotalDiff();
                micros[d][i] = (System.nanoTime() - t) / 1_000;
                check(total, diff, "TotalDiff");
            }
        }
        print("OnsConsumerAccumulate Detail=false, gateway + official ONS SDK", micros[0], 50);
        print("OnsConsumerAccumulate Detail=true, gateway + official ONS SDK", micros[1], 50);
        server.print(messageUrl);
        if (messageUrl != null) {
            List<Map<String, Object>> params = new ArrayList<>();
            for (boolean detail : new boolean[] {false, true}) {
                params.add(Map.of("InstanceId", instance, "GroupId", group, "Detail", detail));
            }
            for (int i = 0; i < warmup; i++) {
                internal(messageUrl, account.key.accountId(), "OnsConsumerAccumulate", params.get(i % 2));
            }
            // The noise floor: message-service's liveness check (no database, no work) between the calls.
            HttpRequest live = HttpRequest.newBuilder(URI.create(messageUrl + "/q/health/live")).build();
            long[] floor = new long[calls];
            server = ServerTime.of(messageUrl);
            for (int i = 0; i < calls; i++) {
                for (int d = 0; d < 2; d++) {
                    long t = System.nanoTime();
                    JsonNode answer = internal(messageUrl, account.key.accountId(), "OnsConsumerAccumulate",
                            params.get(d));
                    micros[d][i] = (System.nanoTime() - t) / 1_000;
                    check(total, answer.path("Data").path("TotalDiff").asLong(), "TotalDiff (internal API)");
                }
                long t = System.nanoTime();
                HTTP.send(live, HttpResponse.BodyHandlers.discarding());
                floor[i] = (System.nanoTime() - t) / 1_000;
            }
            print("OnsConsumerAccumulate Detail=false, message-service internal API", micros[0], 50);
            print("OnsConsumerAccumulate Detail=true, message-service internal API", micros[1], 50);
            server.print(messageUrl);
            print("  noise floor: message-service GET /q/health/live between those calls", floor, 0);
        }
        String statsUrl = account.suite.serviceUrl("stats-service");
        if (statsUrl != null) {
            // The one remote call inside each Accumulate: the group's consume TPS from stats-service.
            URI uri = URI.create(statsUrl + "/internal/v1/stats/consume-tps?accountId=" + account.key.accountId()
                    + "&instanceId=" + instance + "&groupId=" + group);
            long[] stats = new long[calls];
            for (int i = 0; i < warmup + calls; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("consume-tps answered " + r.statusCode() + ": " + r.body());
                }
                if (i >= warmup) {
                    stats[i - warmup] = (System.nanoTime() - t) / 1_000;
                }
            }
            print("  of which: stats-service consume TPS (called by each Accumulate), directly", stats, 0);
        }
    }

    /**
     * message-service's own time for OnsConsumerAccumulate over a stretch of calls, from its HTTP server timer
     * ({@code http_server_requests_seconds}, count and sum: a mean, the timer has no percentiles).
     */
    private record ServerTime(long count, double sum) {

        static ServerTime of(String url) throws Exception {
            if (url == null) {
                return new ServerTime(0, 0);
            }
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long count = 0;
            double sum = 0;
            for (String line : body.split("\n")) {
                if (!line.contains("uri=\"/internal/v1/operations/OnsConsumerAccumulate\"")) {
                    continue;
                }
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (line.startsWith("http_server_requests_seconds_count{")) {
                    count += (long) value;
                } else if (line.startsWith("http_server_requests_seconds_sum{")) {
                    sum += value;
                }
            }
            return new ServerTime(count, sum);
        }

        void print(String url) throws Exception {
            ServerTime now = of(url);
            if (now.count > count) {
                out("  message-service's own time for these calls (server timer): mean %.1f ms over %d calls%n",
                        (now.sum - sum) * 1e3 / (now.count - count), now.count - count);
            }
        }
    }

    private static void check(long expected, long actual, String what) {
        if (expected != actual) {
            out("UNTRUE: %s is %,d, expected %,d%n", what, actual, expected);
            throw new IllegalStateException(what + " is " + actual + ", expected " + expected);
        }
    }

    private static JsonNode internal(String url, String account, String action, Map<String, ?> params)
            throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/internal/v1/operations/"
                        + action))
                .header(InternalHeaders.ACCOUNT_ID, account).header(InternalHeaders.REGION_ID, "cn-hangzhou")
                .header(InternalHeaders.REQUEST_ID, "bench").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(params))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(action + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    // ---- 2. redelivery timing ----

    /** What the consumers saw of one message: the NextConsumeTime its latest delivery announced. */
    private static final class Seen {
        long nextConsumeTime;
        int deliveries;
    }

    private static void redelivery(MessagingAccount account, String instance, int count, int rounds,
            long retryMillis, int consumers, int waitSeconds) throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        ConsumerSettings.set(account.suite, account.key.accountId(), instance, group, retryMillis, null);
        Map<String, Seen> seen = new ConcurrentHashMap<>();
        List<Long> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        AtomicInteger early = new AtomicInteger();
        AtomicInteger ackFailed = new AtomicInteger();
        long deadline = System.currentTimeMillis() + 120_000 + (long) rounds * retryMillis * 3;
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        List<Future<?>> running = new ArrayList<>();
        for (int k = 0; k < consumers; k++) {
            MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);
            if (k == 0) {
                MessagingAccount.poll(consumer, 1, 1);
            }
            running.add(pool.submit(() -> {
                while (done.get() < count && System.currentTimeMillis() < deadline) {
                    List<Message> got = MessagingAccount.poll(consumer, 16, waitSeconds);
                    long now = System.currentTimeMillis();
                    List<String> ack = new ArrayList<>();
                    for (Message m : got) {
                        Seen s = seen.computeIfAbsent(m.getMessageId(), id -> new Seen());
                        synchronized (s) {
                            if (s.deliveries > 0) {
                                errors.add(now - s.nextConsumeTime);
                                if (now < s.nextConsumeTime) {
                                    early.incrementAndGet();
                                }
                            }
                            s.deliveries++;
                            s.nextConsumeTime = m.getNextConsumeTime();
                            if (s.deliveries > rounds) {
                                ack.add(m.getReceiptHandle());
                                done.incrementAndGet();
                            }
                        }
                    }
                    if (!ack.isEmpty()) {
                        try {
                            consumer.ackMessage(ack);
                        } catch (ServiceException e) {
                            // A handle that expired meanwhile: the message comes again and is acked then.
                            ackFailed.incrementAndGet();
                            done.addAndGet(-ack.size());
                        }
                    }
                }
                return null;
            }));
        }
        MQProducer producer = account.mq.getProducer(instance, topic);
        long publishStarted = System.nanoTime();
        for (int i = 0; i < count; i++) {
            producer.publishMessage(new TopicMessage(("redeliver " + i).getBytes(StandardCharsets.UTF_8), "R"));
        }
        double published = (System.nanoTime() - publishStarted) / 1e9;
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        out("redelivery: %d messages published in %.1f s (MQ HTTP SDK), retry interval %d ms, %d consumer threads "
                + "long polling %d s; each redelivered %d times, then acked: %d of %d done, %d received before "
                + "their NextConsumeTime, %d acks refused%n", count, published, retryMillis, consumers, waitSeconds,
                rounds, done.get(), count, early.get(), ackFailed.get());
        long[] millis = errors.stream().mapToLong(Long::longValue).toArray();
        if (millis.length == 0) {
            throw new IllegalStateException("no message was redelivered");
        }
        long[] micros = Arrays.stream(millis).map(m -> m * 1_000).toArray();
        print("redelivery timing error (received again - NextConsumeTime)", micros, 1_000);
        if (done.get() < count) {
            throw new IllegalStateException("only " + done.get() + " of " + count + " messages completed their "
                    + "redeliveries in time");
        }
    }


    // ---- figures ----

    /** Prints percentiles of microsecond samples in ms; {@code targetMillis} 0 for a figure without a target. */
    private static void print(String what, long[] micros, long targetMillis) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        String target = targetMillis <= 0 ? ""
                : " (target p99 <= " + targetMillis + " ms)" + (pct(sorted, 99) <= targetMillis * 1_000 ? ""
                        : " MISSED");
        out("%s: n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%s%n", what, sorted.length,
                pct(sorted, 50) / 1e3, pct(sorted, 90) / 1e3, pct(sorted, 99) / 1e3, sorted[sorted.length - 1] / 1e3,
                target);
    }

    private static long pct(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
