package io.openons.e2e.messaging.bench;

import com.aliyuncs.ons.model.v20190214.OnsMessageGetByMsgIdRequest;
import com.aliyuncs.ons.model.v20190214.OnsTopicStatusRequest;
import io.openons.contracts.operation.InternalHeaders;
import io.openons.e2e.messaging.MessagingAccount;
import io.openons.signature.MqHttpSignature;
import io.openons.testsupport.InfraEndpoints;
import io.openons.testsupport.Infrastructure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The messaging benchmark (bench/messaging/run.sh), not a test: runs only with {@code -Dbench=true} against the
 * suite the e2e module starts, and prints its figures.
 * <ol>
 * <li>raw Kafka: 64 synchronous senders on one producer (acks=all, linger 5 ms), 1 KiB — the ceiling;</li>
 * <li>publish through the gateway (MQ HTTP protocol, signed requests on 64 keep-alive connections, as the SDK's
 * pooled client sends them, from one event loop so that the load generator costs little CPU), 1 KiB,
 * with the index lag (publish answered → the message found by OnsMessageGetByMsgId) sampled meanwhile;</li>
 * <li>OnsMessageGetByMsgId through the gateway (official ONS SDK) with at least 1,000,000 messages indexed.</li>
 * </ol>
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class MessagingBenchmark {

    private static final int SENDERS = Integer.getInteger("bench.senders", 64);
    private static final int BODY = Integer.getInteger("bench.bodyBytes", 1024);
    /** The longest warm-up before measuring (it ends earlier once the rate is steady, see {@link #run}). */
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 300));
    private static final Duration MIN_WARMUP = Duration.ofSeconds(Long.getLong("bench.minWarmupSeconds", 180));
    private static final Duration WARMUP_WINDOW = Duration.ofSeconds(10);
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 30));
    private static final long INDEXED_TARGET = Long.getLong("bench.indexed", 1_000_000);
    /** Every n-th message published in the measured window is polled until queryable (index lag). */
    private static final int LAG_SAMPLE_EVERY = Integer.getInteger("bench.lagSampleEvery", 100);
    private static final int LOOKUPS = Integer.getInteger("bench.lookups", 5_000);
    /** Unmeasured lookups first: with 1,000 the client, gateway and message-service were still JIT-compiling. */
    private static final int LOOKUP_WARMUP = Integer.getInteger("bench.lookupWarmup", 10_000);
    private static final Pattern MESSAGE_ID = Pattern.compile("<MessageId>([0-9A-F]{32})</MessageId>");

    @Test
    void messaging() throws Exception {
        MessagingAccount account = MessagingAccount.create("bench");
        String instance = account.instance();
        String topic = account.topic(instance, 0);
        String lookupTopic = account.topic(instance, 0);
        StringBuilder report = new StringBuilder("\n=== OpenONS messaging benchmark ===\n");
        report.append(String.format("machine: %d cores, load average %.1f at start; %d publishers; body %d B; "
                + "warm-up until steady (%d-%d s), measured %d s%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), SENDERS,
                BODY, MIN_WARMUP.toSeconds(), WARMUP.toSeconds(), MEASURE.toSeconds()));

        double raw = rawKafka(account.suite.kafkaBootstrap(), report);
        // The gateway phase first: the direct phase publishes faster than the pipeline indexes, and its backlog
        // would be measured as the gateway phase's index lag.
        double gateway = gatewayPublish(account, instance, topic, report);
        report.append(metrics(account.suite.serviceUrl("message-service"), "ons_message_publish_duration_seconds{"));
        report.append(metrics(account.suite.serviceUrl("message-service"), "ons_message_index_lag_seconds{"));
        report.append(metrics(account.suite.endpoint(), "ons_gateway_request_duration_seconds{action=\"publish\""));
        report.append(String.format("ratio gateway/raw Kafka: %.1f%%%n", 100 * gateway / raw));
        if (Boolean.getBoolean("bench.direct")) {
            awaitConsumersCaughtUp(account.suite.kafkaBootstrap());
            directPublish(account, instance, topic, report);
        }
        lookups(account, instance, lookupTopic, report);
        long hold = Long.getLong("bench.holdSeconds", 0);
        if (hold > 0) {
            System.out.println(report);
            System.out.printf("holding the suite for %d s for inspection (the lookup topic's messages indexed)%n",
                    hold);
            Thread.sleep(hold * 1_000);
        }
        report.append(String.format("load average at the end: %.1f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.println(report);
        account.close();
    }

    /** 64 synchronous senders sharing one KafkaProducer, as perf-ceilings §1c measured the ceiling. */
    private double rawKafka(String bootstrap, StringBuilder report) throws Exception {
        String topic = "bench.raw." + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        byte[] body = new byte[BODY];
        ThreadLocalRandom.current().nextBytes(body);
        Histogram latency = new Histogram();
        AtomicLong sent = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all", "enable.idempotence", true, "linger.ms", 5, "key.serializer", StringSerializer.class,
                "value.serializer", ByteArraySerializer.class))) {
            double rate = run("raw Kafka", Duration.ofSeconds(20), Duration.ofSeconds(40), () -> {
                long t = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, body)).get();
                return (System.nanoTime() - t) / 1000;
            }, latency, sent, report);
            report.append(String.format("raw Kafka, %d sync senders: %.0f msg/s, p50 %.2f ms, p99 %.2f ms%n",
                    SENDERS, rate, latency.percentileMillis(50), latency.percentileMillis(99)));
            return rate;
        }
    }

    /** message-service's internal publish API without the gateway (to see where time goes). */
    private void directPublish(MessagingAccount account, String instance, String topic, StringBuilder report)
            throws Exception {
        URI uri = URI.create(account.suite.serviceUrl("message-service") + "/internal/v1/messaging/publish");
        byte[] json = ("{\"instanceId\":\"" + instance + "\",\"topic\":\"" + topic + "\",\"body\":\""
                + "x".repeat(BODY) + "\",\"properties\":{}}").getBytes(StandardCharsets.UTF_8);
        Histogram latency = new Histogram();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add(InternalHeaders.ACCOUNT_ID, account.key.accountId());
        double rate;
        try (HttpLoad http = new HttpLoad(uri, SENDERS)) {
            rate = run("message-service directly", Duration.ofSeconds(20), Duration.ofSeconds(60), () -> {
                long t = System.nanoTime();
                return http.post(uri.getPath(), headers, Buffer.buffer(json)).thenApply(r -> {
                    if (r.status() != 200) {
                        throw new IllegalStateException("publish answered " + r.status() + ": " + r.body());
                    }
                    return (System.nanoTime() - t) / 1000;
                });
            }, latency, new AtomicLong(), report, new AtomicBoolean());
        }
        report.append(String.format("message-service publish API directly (no gateway), %d publishers: %.0f msg/s, "
                + "p50 %.2f ms, p99 %.2f ms%n", SENDERS, rate, latency.percentileMillis(50),
                latency.percentileMillis(99)));
    }

    /** The lines of a service's Prometheus metrics that start with the prefix (server-side latencies). */
    private static String metrics(String baseUrl, String prefix) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl
                    + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            StringBuilder out = new StringBuilder();
            for (String line : r.body().split("\n")) {
                if (line.startsWith(prefix) && line.contains("quantile")) {
                    out.append("  server metric: ").append(line).append('\n');
                }
            }
            return out.toString();
        } catch (Exception e) {
            return "  (metrics of " + baseUrl + " unavailable: " + e.getMessage() + ")\n";
        }
    }

    /** Signed MQ HTTP publishes through the gateway; a sample of the ids is polled until queryable. */
    private double gatewayPublish(MessagingAccount account, String instance, String topic, StringBuilder report)
            throws Exception {
        String resource = "/topics/" + topic + "/messages?ns=" + instance;
        URI uri = URI.create(account.suite.endpoint() + resource);
        char[] text = new char[BODY];
        Arrays.fill(text, 'x');
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Message xmlns=\"http://mq.aliyuncs.com/doc/v1\">"
                + "<MessageBody>" + new String(text) + "</MessageBody><MessageTag>bench</MessageTag></Message>")
                .getBytes(StandardCharsets.UTF_8);
        DateTimeFormatter rfc1123 = DateTimeFormatter.RFC_1123_DATE_TIME;
        String contentType = "text/xml;charset=UTF-8";

        Histogram lag = new Histogram();
        ArrayBlockingQueue<long[]> toCheck = new ArrayBlockingQueue<>(100_000);
        List<String> sampledIds = new ArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicLong counter = new AtomicLong();
        ExecutorService checkers = Executors.newFixedThreadPool(4);
        String serviceUrl = account.suite.serviceUrl("message-service");
        List<Future<?>> checking = new ArrayList<>();
        List<String> idsByIndex = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < 4; c++) {
            checking.add(checkers.submit(() -> {
                HttpClient direct = HttpClient.newHttpClient();
                while (sampling.get() || !toCheck.isEmpty()) {
                    long[] item = toCheck.poll(100, TimeUnit.MILLISECONDS);
                    if (item == null) {
                        continue;
                    }
                    String id = idsByIndex.get((int) item[0]);
                    long answeredAt = item[1];
                    while (true) {
                        HttpResponse<String> r = direct.send(HttpRequest.newBuilder(URI.create(serviceUrl
                                + "/internal/v1/operations/OnsMessageGetByMsgId"))
                                .header("Content-Type", "application/json")
                                .header(InternalHeaders.ACCOUNT_ID, account.key.accountId())
                                .header(InternalHeaders.REGION_ID, "cn-hangzhou")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"InstanceId\":\"" + instance
                                        + "\",\"Topic\":\"" + topic + "\",\"MsgId\":\"" + id + "\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            if (item[2] == 1) {
                                lag.record((System.nanoTime() - answeredAt) / 1000);
                            }
                            break;
                        }
                        Thread.sleep(5);
                    }
                }
                return null;
            }));
        }
        Histogram latency = new Histogram();
        AtomicLong sent = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        // The signature covers the Date header, which changes once a second: both are made once per second.
        AtomicReference<SignedSecond> signedSecond = new AtomicReference<>(new SignedSecond(0, null, null));
        double rate;
        try (HttpLoad http = new HttpLoad(uri, SENDERS)) {
            rate = run("gateway publish", MIN_WARMUP, WARMUP, () -> {
                long second = System.currentTimeMillis() / 1000;
                SignedSecond signed = signedSecond.get();
                if (signed.epochSecond() != second) {
                    String date = rfc1123.format(Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC));
                    String signature = MqHttpSignature.sign(account.key.accessKeySecret(),
                            MqHttpSignature.stringToSign("POST", Map.of("content-type", contentType, "date", date,
                                    "x-mq-version", "2015-06-06"), resource));
                    signed = new SignedSecond(second, date, "MQ " + account.key.accessKeyId() + ":" + signature);
                    signedSecond.set(signed);
                }
                MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", signed.authorization())
                        .add("Date", signed.date()).add("x-mq-version", "2015-06-06")
                        .add("Content-Type", contentType);
                long t = System.nanoTime();
                return http.post(resource, headers, Buffer.buffer(xml)).thenApply(r -> {
                    long answered = System.nanoTime();
                    if (r.status() != 201) {
                        throw new IllegalStateException("publish answered " + r.status() + ": " + r.body());
                    }
                    // One message in LAG_SAMPLE_EVERY is polled until found (every 5 ms: load that competes with
                    // the publishers); during the warm-up too, so that the query path is compiled, but only the
                    // messages published in the measured window count.
                    if (counter.incrementAndGet() % LAG_SAMPLE_EVERY == 0) {
                        Matcher m = MESSAGE_ID.matcher(r.body());
                        if (m.find()) {
                            int index;
                            synchronized (idsByIndex) {
                                idsByIndex.add(m.group(1));
                                index = idsByIndex.size() - 1;
                            }
                            toCheck.offer(new long[] {index, answered, measuring.get() ? 1 : 0});
                        }
                    }
                    return (answered - t) / 1000;
                });
            }, latency, sent, report, measuring);
        }
        sampling.set(false);
        for (Future<?> f : checking) {
            f.get(120, TimeUnit.SECONDS);
        }
        checkers.shutdown();
        report.append(String.format("gateway publish (MQ HTTP, acks=all), %d publishers: %.0f msg/s, p50 %.2f ms, "
                + "p99 %.2f ms%n", SENDERS, rate, latency.percentileMillis(50), latency.percentileMillis(99)));
        report.append(String.format("index lag (publish answered -> OnsMessageGetByMsgId finds it), %d samples: "
                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", lag.count(), lag.percentileMillis(50),
                lag.percentileMillis(99), lag.percentileMillis(100)));
        return rate;
    }

    /** Loads at least 1,000,000 messages into the index (Kafka-native producer), then looks up random ids. */
    private void lookups(MessagingAccount account, String instance, String topic, StringBuilder report)
            throws Exception {
        String kafkaTopic = instance + "." + topic;
        int count = (int) INDEXED_TARGET;
        String[] ids = new String[count];
        byte[] body = new byte[256];
        Arrays.fill(body, (byte) 'y');
        long loadStarted = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                account.suite.kafkaBootstrap(), "acks", "all", "linger.ms", 20, "batch.size", 256 * 1024,
                "key.serializer", StringSerializer.class, "value.serializer", ByteArraySerializer.class))) {
            for (int i = 0; i < count; i++) {
                ids[i] = String.format("BE%030X", i);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(kafkaTopic, body);
                record.headers().add("UNIQ_KEY", ids[i].getBytes(StandardCharsets.UTF_8));
                record.headers().add("KEYS", ("k" + (i % 100_000)).getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
        double produced = (System.nanoTime() - loadStarted) / 1e9;
        OnsTopicStatusRequest status = new OnsTopicStatusRequest();
        status.setInstanceId(instance);
        status.setTopic(topic);
        long indexed = 0;
        while (indexed < count) {
            Thread.sleep(2_000);
            indexed = account.ons.call(status).getData().getTotalCount();
        }
        double loaded = (System.nanoTime() - loadStarted) / 1e9;
        report.append(String.format("index load: %d messages (256 B, Kafka-native producer) produced in %.1f s, "
                + "all indexed after %.1f s (%.0f msg/s indexing)%n", count, produced, loaded, count / loaded));
        // The lookups are measured on the loaded, settled suite: trace-service and stats-service ingest the
        // load's lifecycle events after the index has them; measuring meanwhile would measure that work.
        double settled = awaitConsumersCaughtUp(account.suite.kafkaBootstrap());
        report.append(String.format("every consumer group caught up %.1f s after the load was indexed%n", settled));
        // ... and PostgreSQL's autovacuum, which the million rows of the load (index, trace and stats rows) start
        // a minute later, has finished: it would take one of the two cores from the lookups while it runs.
        if (!account.suite.attached()) {
            report.append(String.format("autovacuum after the load finished %.1f s later%n", awaitAutovacuumIdle()));
        }

        Histogram gateway = new Histogram();
        OnsMessageGetByMsgIdRequest request = new OnsMessageGetByMsgIdRequest();
        request.setInstanceId(instance);
        request.setTopic(topic);
        long phase = System.nanoTime();
        List<long[]> slowest = new ArrayList<>();
        for (int i = 0; i < LOOKUPS + LOOKUP_WARMUP; i++) {
            request.setMsgId(ids[ThreadLocalRandom.current().nextInt(count)]);
            long t = System.nanoTime();
            String found = account.ons.call(request).getData().getMsgId();
            long micros = (System.nanoTime() - t) / 1000;
            if (!found.equals(request.getMsgId())) {
                throw new IllegalStateException("lookup answered another message");
            }
            if (i >= LOOKUP_WARMUP) {
                gateway.record(micros);
                slowest.add(new long[] {micros, (t - phase) / 1_000_000});
            }
        }
        if (Boolean.getBoolean("bench.traceSlow")) {
            slowest.sort((a, b) -> Long.compare(b[0], a[0]));
            StringBuilder slow = new StringBuilder("  slowest lookups via the gateway (µs @ ms into the phase):");
            slowest.stream().limit(25).forEach(x -> slow.append(' ').append(x[0]).append('@').append(x[1]));
            report.append(slow).append('\n');
        }
        Histogram direct = new Histogram();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < LOOKUPS + LOOKUP_WARMUP; i++) {
            String id = ids[ThreadLocalRandom.current().nextInt(count)];
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(account.suite.serviceUrl(
                    "message-service") + "/internal/v1/operations/OnsMessageGetByMsgId"))
                    .header("Content-Type", "application/json")
                    .header(InternalHeaders.ACCOUNT_ID, account.key.accountId())
                    .header(InternalHeaders.REGION_ID, "cn-hangzhou")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"InstanceId\":\"" + instance + "\",\"Topic\":\""
                            + topic + "\",\"MsgId\":\"" + id + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - t) / 1000;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("lookup answered " + r.statusCode());
            }
            if (i >= LOOKUP_WARMUP) {
                direct.record(micros);
            }
        }
        report.append(String.format("OnsMessageGetByMsgId on message-service directly (internal API, sequential): "
                + "p50 %.2f ms, p99 %.2f ms%n", direct.percentileMillis(50), direct.percentileMillis(99)));
        report.append(String.format("OnsMessageGetByMsgId via gateway (official ONS SDK, sequential), %d lookups "
                + "among %d indexed: p50 %.2f ms, p99 %.2f ms%n", LOOKUPS, indexed, gateway.percentileMillis(50),
                gateway.percentileMillis(99)));
    }

    /**
     * Waits until no autovacuum worker has run for 15 s (it starts on a table some time after the rows arrived, one
     * table after another); seconds waited, at most 10 minutes.
     */
    private static double awaitAutovacuumIdle() throws Exception {
        long started = System.nanoTime();
        InfraEndpoints db = Infrastructure.start();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.dbUser(), db.dbPassword());
                Statement s = c.createStatement()) {
            long quietSince = System.nanoTime();
            long deadline = System.currentTimeMillis() + 600_000;
            while (System.currentTimeMillis() < deadline
                    && System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(15)) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE backend_type = 'autovacuum worker'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        quietSince = System.nanoTime();
                    }
                }
                Thread.sleep(500);
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** Waits until every consumer group's committed offsets reach the end of what it consumes; seconds waited. */
    private static double awaitConsumersCaughtUp(String bootstrap) throws Exception {
        long started = System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.currentTimeMillis() + 600_000;
            while (System.currentTimeMillis() < deadline) {
                long lag = 0;
                for (var group : admin.listConsumerGroups().all().get()) {
                    if (group.groupState().filter(state -> state != GroupState.STABLE).isPresent()) {
                        continue; // nobody consumes for it now (a finished test's group): nothing to wait for
                    }
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                            .partitionsToOffsetAndMetadata().get();
                    if (committed.isEmpty()) {
                        continue;
                    }
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                    var ends = admin.listOffsets(latest).all().get();
                    for (var e : committed.entrySet()) {
                        if (e.getValue() != null) {
                            lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
                        }
                    }
                }
                if (lag == 0) {
                    break;
                }
                Thread.sleep(1_000);
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** The Date header of one second and the Authorization header signed over it. */
    private record SignedSecond(long epochSecond, String date, String authorization) {
    }

    @FunctionalInterface
    private interface Op {
        long call() throws Exception;
    }

    /** A call that completes with its latency in microseconds, without holding a thread while it waits. */
    @FunctionalInterface
    private interface AsyncOp {
        CompletionStage<Long> call();
    }

    /** Counts the calls of a phase and records the measured ones. */
    private record Tally(AtomicLong calls, AtomicLong errors, AtomicBoolean measuring, Histogram latency,
            AtomicLong done) {

        void completed(long micros) {
            calls.incrementAndGet();
            if (measuring.get()) {
                latency.record(micros);
                done.incrementAndGet();
            }
        }

        void failed(Throwable e) {
            if (errors.incrementAndGet() < 5) {
                System.err.println("benchmark operation failed: " + e);
            }
        }
    }

    /** {@link #SENDERS} closed-loop senders: started, then stopped and awaited. */
    private interface Senders {
        void start(Tally tally, AtomicBoolean stop);

        void await() throws Exception;
    }

    /** Senders on threads of their own, each calling the blocking operation again as soon as it returns. */
    private static Senders onThreads(Op op) {
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        List<Future<?>> workers = new ArrayList<>();
        return new Senders() {
            @Override
            public void start(Tally tally, AtomicBoolean stop) {
                for (int i = 0; i < SENDERS; i++) {
                    workers.add(pool.submit(() -> {
                        while (!stop.get()) {
                            try {
                                tally.completed(op.call());
                            } catch (Exception e) {
                                tally.failed(e);
                            }
                        }
                        return null;
                    }));
                }
            }

            @Override
            public void await() throws Exception {
                for (Future<?> w : workers) {
                    w.get(60, TimeUnit.SECONDS);
                }
                pool.shutdown();
            }
        };
    }

    /** Senders as chains of non-blocking calls: each sends its next call when the previous one is answered. */
    private static Senders asChains(AsyncOp op) {
        CountDownLatch finished = new CountDownLatch(SENDERS);
        return new Senders() {
            @Override
            public void start(Tally tally, AtomicBoolean stop) {
                for (int i = 0; i < SENDERS; i++) {
                    next(tally, stop);
                }
            }

            private void next(Tally tally, AtomicBoolean stop) {
                if (stop.get()) {
                    finished.countDown();
                    return;
                }
                CompletionStage<Long> call;
                try {
                    call = op.call();
                } catch (RuntimeException e) {
                    call = CompletableFuture.failedFuture(e);
                }
                call.whenComplete((micros, failure) -> {
                    if (failure == null) {
                        tally.completed(micros);
                    } else {
                        tally.failed(failure);
                    }
                    next(tally, stop);
                });
            }

            @Override
            public void await() throws Exception {
                if (!finished.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("senders still busy 60 s after the end");
                }
            }
        };
    }

    /** The blocking operation on {@link #SENDERS} threads; see {@link #run(String, Duration, Duration, Senders, Histogram, AtomicLong, StringBuilder, AtomicBoolean)}. */
    private static double run(String what, Duration minWarmup, Duration maxWarmup, Op op, Histogram latency,
            AtomicLong done, StringBuilder report) throws Exception {
        return run(what, minWarmup, maxWarmup, onThreads(op), latency, done, report, new AtomicBoolean());
    }

    /** The non-blocking operation by {@link #SENDERS} concurrent senders; {@code measuring} is true while measured. */
    private static double run(String what, Duration minWarmup, Duration maxWarmup, AsyncOp op, Histogram latency,
            AtomicLong done, StringBuilder report, AtomicBoolean measuring) throws Exception {
        return run(what, minWarmup, maxWarmup, asChains(op), latency, done, report, measuring);
    }

    /**
     * Runs {@link #SENDERS} closed-loop senders: warm-up until the rate is steady, then measured; answers
     * operations per second. The warm-up is adaptive: the freshly started services spend minutes in the JIT on
     * two shared cores (C2 compiler threads take a quarter to a third of a core each for the first two minutes),
     * so it lasts until three consecutive 10 s windows are within 5 % of each other — at least
     * {@code minWarmup}, at most {@code maxWarmup} — and its curve is printed. {@code measuring} is true while
     * the measured window runs.
     */
    private static double run(String what, Duration minWarmup, Duration maxWarmup, Senders senders,
            Histogram latency, AtomicLong done, StringBuilder report, AtomicBoolean measuring) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Tally tally = new Tally(new AtomicLong(), new AtomicLong(), measuring, latency, done);
        AtomicLong calls = tally.calls();
        senders.start(tally, stop);
        List<Long> windows = new ArrayList<>();
        long warmupStarted = System.nanoTime();
        while (true) {
            long before = calls.get();
            Thread.sleep(WARMUP_WINDOW.toMillis());
            windows.add((calls.get() - before) * 1000 / WARMUP_WINDOW.toMillis());
            System.out.printf("warm-up %s: %d s, %d/s%n", what, windows.size() * WARMUP_WINDOW.toSeconds(),
                    windows.get(windows.size() - 1));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - warmupStarted);
            if (elapsed.compareTo(maxWarmup) >= 0 || (elapsed.compareTo(minWarmup) >= 0 && steady(windows))) {
                break;
            }
        }
        report.append(String.format("  warm-up of %s: %d s (%s), rate per 10 s window: %s%n", what,
                windows.size() * WARMUP_WINDOW.toSeconds(), steady(windows) ? "steady" : "not steady at the limit",
                windows));
        System.out.printf("measuring %s for %d s%n", what, MEASURE.toSeconds());
        measuring.set(true);
        long started = System.nanoTime();
        Thread.sleep(MEASURE.toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        stop.set(true);
        senders.await();
        if (tally.errors().get() > 0) {
            System.err.println("benchmark operation errors: " + tally.errors().get());
        }
        return done.get() / seconds;
    }

    /** Whether the last three windows' rates are within 5 % of their mean. */
    private static boolean steady(List<Long> windows) {
        if (windows.size() < 3) {
            return false;
        }
        List<Long> last = windows.subList(windows.size() - 3, windows.size());
        double mean = last.stream().mapToLong(Long::longValue).average().orElse(0);
        return mean > 0 && last.stream().allMatch(w -> Math.abs(w - mean) <= 0.05 * mean);
    }
}
