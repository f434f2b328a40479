package io.openons.bench.stats;

import com.aliyuncs.ons.model.v20190214.OnsTrendGroupOutputTpsRequest;
import com.aliyuncs.ons.model.v20190214.OnsTrendTopicInputTpsRequest;
import com.aliyuncs.ons.model.v20190214.OnsTrendTopicInputTpsResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.e2e.Accounts;
import io.openons.e2e.Fixtures;
import io.openons.e2e.OnsApi;
import io.openons.e2e.Suite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 6's benchmark, with the whole suite running on this machine:
 * <ol>
 * <li>aggregation rate: lifecycle events produced straight to Kafka (as message-service publishes them), spread
 * over the last 24 hours, counted by stats-service; the rate is read from its {@code ons_stats_events_total}
 * counter while it drains the backlog;</li>
 * <li>event-to-visible latency: one event at a time, from Kafka's acknowledgement of the produce until
 * OnsTrendTopicInputTps through the gateway (official ONS SDK) shows it;</li>
 * <li>a 24-hour, 1-minute OnsTrendTopicInputTps query (1,441 points) through the gateway with the official SDK,
 * and the same query on stats-service's internal operation API for comparison.</li>
 * </ol>
 * Knobs: -Dbench.events=600000 -Dbench.historyEvents=120000 -Dbench.latencySamples=200 -Dbench.queries=500.
 */
public final class StatsBenchmark {

    private static final long MINUTE = 60_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TOPICS = {"bench-a", "bench-b", "bench-c", "bench-d"};
    private static final String[] GROUPS = {"GID_bench_x", "GID_bench_y"};
    /** Messages produced to the first topic by the phases so far (for the exactness check). */
    private static final long[] TOTAL_ON_FIRST_TOPIC = {0};

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 600_000);
        int history = Integer.getInteger("bench.historyEvents", 120_000);
        int latencySamples = Integer.getInteger("bench.latencySamples", 200);
        int queries = Integer.getInteger("bench.queries", 500);

        Suite suite = Suite.get();
        Accounts.Key key = Accounts.create(suite, "stats-bench");
        OnsApi api = OnsApi.of(suite, key.accessKeyId(), key.accessKeySecret());
        String instance = Fixtures.instance(api);
        for (String t : TOPICS) {
            Fixtures.topic(api, instance, t, 0);
        }
        Fixtures.topic(api, instance, "bench-latency", 0);
        for (String g : GROUPS) {
            Fixtures.group(api, instance, g, "http");
        }
        String statsUrl = suite.serviceUrl("stats-service");
        System.out.printf("stats benchmark: suite at %s, stats-service at %s, account %s, instance %s%n",
                suite.endpoint(), statsUrl, key.accountId(), instance);

        try (KafkaProducer<String, String> producer = producer(suite.kafkaBootstrap())) {
            aggregationRate(producer, key.accountId(), instance, events, false, api, statsUrl);
            aggregationRate(producer, key.accountId(), instance, history, true, api, statsUrl);
            latency(producer, key.accountId(), instance, latencySamples, api);
            query(api, key, instance, queries, statsUrl, history);
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- 1. aggregation rate

    /**
     * Live traffic ({@code overDay} false) happens now, a few minutes at a time, as real producers and consumers
     * do. The history ({@code overDay} true) spreads its events round-robin over the 1,439 whole minutes of the
     * last day (every minute of every topic gets traffic for the query benchmark): every event of a batch is its
     * own counter row, the worst case for the aggregation.
     */
    private static void aggregationRate(KafkaProducer<String, String> producer, String account, String instance,
            int n, boolean overDay, OnsApi api, String statsUrl) throws Exception {
        long now = System.currentTimeMillis();
        long currentMinute = Math.floorDiv(now, MINUTE) * MINUTE;
        long first = currentMinute - 1440 * MINUTE + MINUTE;
        double before = statsUrl == null ? 0 : counted(statsUrl);
        long produceStart = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch acked = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            long time = overDay ? first + (long) (i % 1439) * MINUTE + (i / 1439) % MINUTE
                    : now - 3 * MINUTE + (long) i * 3 * MINUTE / n;
            boolean produced = i % 2 == 0;
            String topic = TOPICS[(i / 2) % TOPICS.length];
            MessageLifecycleEvent e = event(produced ? MessageLifecycleEventType.PUBLISHED
                    : MessageLifecycleEventType.ACKED, account, instance, topic, time,
                    produced ? null : GROUPS[(i / 2) % GROUPS.length]);
            producer.send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE, e.msgId(), JSON.writeValueAsString(e)),
                    (md, ex) -> {
                        if (ex != null) {
                            failure.set(ex);
                        }
                        acked.countDown();
                    });
        }
        producer.flush();
        acked.await(5, TimeUnit.MINUTES);
        if (failure.get() != null) {
            throw failure.get();
        }
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        System.out.printf("%n[1%s] aggregation, %s: produced %,d events straight to Kafka in %.1f s (%,.0f events/s)%n",
                overDay ? "b" : "a", overDay ? "history spread over the last 24 hours (worst case)"
                        : "live traffic of the last 3 minutes", n, produceSeconds, n / produceSeconds);

        if (statsUrl == null) {
            System.out.println("    (attached to a running suite: no direct metrics, rate not measured)");
            return;
        }
        // Sample the counter until everything is counted; the rate is taken between 5% and 95% of the batch
        // (steady state, without the JIT warm-up and the tail of the last poll).
        List<double[]> samples = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            double c = counted(statsUrl) - before;
            samples.add(new double[] {(System.nanoTime() - produceStart) / 1e9, c});
            if (c >= n || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        double total = samples.get(samples.size() - 1)[1];
        double t5 = crossing(samples, 0.05 * n);
        double t95 = crossing(samples, 0.95 * n);
        double tEnd = samples.get(samples.size() - 1)[0];
        double tStart = crossing(samples, 1);
        System.out.printf("    counted %,.0f of %,d events; all counted %.1f s after producing began%n", total, n,
                tEnd);
        System.out.printf("    aggregation rate (5%%..95%%, steady state): %,.0f events/s%n", 0.90 * n / (t95 - t5));
        System.out.printf("    aggregation rate (first to last counted):   %,.0f events/s%n", total / (tEnd - tStart));
        System.out.printf("    target: >= 20,000 events/s -> %s%n", 0.90 * n / (t95 - t5) >= 20_000 ? "MET" : "NOT MET");

        // The counts are exact: the first topic's total through the gateway, all phases so far.
        long expectedPerTopic = 0;
        for (int i = 0; i < n; i += 2) {
            if ((i / 2) % TOPICS.length == 0) {
                expectedPerTopic++;
            }
        }
        TOTAL_ON_FIRST_TOPIC[0] += expectedPerTopic;
        long got = Math.round(sum(api, instance, TOPICS[0], first, System.currentTimeMillis()));
        System.out.printf("    check: %s 24-hour total through the gateway = %,d (expected %,d) -> %s%n", TOPICS[0],
                got, TOTAL_ON_FIRST_TOPIC[0], got == TOTAL_ON_FIRST_TOPIC[0] ? "exact" : "MISMATCH");
    }

    private static double crossing(List<double[]> samples, double value) {
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i)[1] >= value) {
                if (i == 0) {
                    return samples.get(0)[0];
                }
                double[] a = samples.get(i - 1);
                double[] b = samples.get(i);
                return a[0] + (b[0] - a[0]) * (value - a[1]) / Math.max(1e-9, b[1] - a[1]);
            }
        }
        return samples.get(samples.size() - 1)[0];
    }

    private static double counted(String statsUrl) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(statsUrl
                + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith("ons_stats_events_total{") && line.contains("outcome=\"counted\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static double sum(OnsApi api, String instance, String topic, long begin, long end) throws Exception {
        OnsTrendTopicInputTpsRequest q = new OnsTrendTopicInputTpsRequest();
        q.setInstanceId(instance);
        q.setTopic(topic);
        q.setBeginTime(begin);
        q.setEndTime(end);
        q.setType(0);
        q.setPeriod(10L);
        double s = 0;
        for (OnsTrendTopicInputTpsResponse.Data.StatsDataDo d : api.call(q).getData().getRecords()) {
            s += d.getY();
        }
        return s;
    }

    // ---------------------------------------------------------------- 2. event-to-visible latency

    private static void latency(KafkaProducer<String, String> producer, String account, String instance,
            int samples, OnsApi api) throws Exception {
        long begin = Math.floorDiv(System.currentTimeMillis(), MINUTE) * MINUTE;
        double seen = 0;
        long[] latencies = new long[samples];
        for (int i = 0; i < samples; i++) {
            long now = System.currentTimeMillis();
            MessageLifecycleEvent e = event(MessageLifecycleEventType.PUBLISHED, account, instance, "bench-latency",
                    now, null);
            producer.send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE, e.msgId(), JSON.writeValueAsString(e)))
                    .get(30, TimeUnit.SECONDS);
            long written = System.nanoTime();
            double expected = seen + 1;
            while ((seen = sumMinutes(api, instance, begin)) < expected) {
                if (System.nanoTime() - written > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("event " + i + " not visible after 60 s");
                }
                Thread.sleep(5);
            }
            latencies[i] = System.nanoTime() - written;
            Thread.sleep(20);
        }
        Arrays.sort(latencies);
        System.out.printf("%n[2] event-to-visible latency (%d events, Kafka ack -> OnsTrendTopicInputTps through the "
                + "gateway shows it):%n    p50 %.0f ms, p99 %.0f ms, max %.0f ms; target p99 <= 5,000 ms -> %s%n",
                samples, ms(pct(latencies, 50)), ms(pct(latencies, 99)), ms(latencies[samples - 1]),
                ms(pct(latencies, 99)) <= 5000 ? "MET" : "NOT MET");
    }

    private static double sumMinutes(OnsApi api, String instance, long begin) throws Exception {
        OnsTrendTopicInputTpsRequest q = new OnsTrendTopicInputTpsRequest();
        q.setInstanceId(instance);
        q.setTopic("bench-latency");
        q.setBeginTime(begin);
        q.setEndTime(System.currentTimeMillis() + 1);
        q.setType(0);
        q.setPeriod(1L);
        double s = 0;
        for (OnsTrendTopicInputTpsResponse.Data.StatsDataDo d : api.call(q).getData().getRecords()) {
            s += d.getY();
        }
        return s;
    }

    // ---------------------------------------------------------------- 3. 24-hour, 1-minute trend query

    private static void query(OnsApi api, Accounts.Key key, String instance, int queries, String statsUrl,
            int events) throws Exception {
        int warmup = Math.max(50, queries / 5);
        long[] viaGateway = new long[queries];
        int points = 0;
        for (int i = -warmup; i < queries; i++) {
            long end = System.currentTimeMillis();
            OnsTrendTopicInputTpsRequest q = new OnsTrendTopicInputTpsRequest();
            q.setInstanceId(instance);
            q.setTopic(TOPICS[Math.floorMod(i, TOPICS.length)]);
            q.setBeginTime(end - 1440 * MINUTE);
            q.setEndTime(end);
            q.setType(i % 2 == 0 ? 0 : 1);
            q.setPeriod(1L);
            long t = System.nanoTime();
            points = api.call(q).getData().getRecords().size();
            if (i >= 0) {
                viaGateway[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(viaGateway);
        System.out.printf("%n[3] 24-hour, 1-minute OnsTrendTopicInputTps (%d points, every minute with data, %,d "
                + "history events): %d sequential queries after %d warm-up%n", points, events, queries, warmup);
        System.out.printf("    through the gateway, official ONS SDK (signed, JSON): p50 %.1f ms, p99 %.1f ms; "
                + "target p99 <= 50 ms -> %s%n", ms(pct(viaGateway, 50)), ms(pct(viaGateway, 99)),
                ms(pct(viaGateway, 99)) <= 50 ? "MET" : "NOT MET");
        // The group chart, same shape.
        OnsTrendGroupOutputTpsRequest g = new OnsTrendGroupOutputTpsRequest();
        g.setInstanceId(instance);
        g.setGroupId(GROUPS[0]);
        g.setTopic(TOPICS[0]);
        g.setEndTime(System.currentTimeMillis());
        g.setBeginTime(g.getEndTime() - 1440 * MINUTE);
        g.setType(0);
        g.setPeriod(1L);
        System.out.printf("    (OnsTrendGroupOutputTps of the same day: %d points)%n",
                api.call(g).getData().getRecords().size());
        if (statsUrl == null) {
            return;
        }
        HttpClient http = HttpClient.newHttpClient();
        long[] direct = new long[queries];
        for (int i = -warmup; i < queries; i++) {
            long end = System.currentTimeMillis();
            String body = String.format("{\"InstanceId\":\"%s\",\"Topic\":\"%s\",\"BeginTime\":%d,\"EndTime\":%d,"
                    + "\"Type\":0,\"Period\":1}", instance, TOPICS[Math.floorMod(i, TOPICS.length)],
                    end - 1440 * MINUTE, end);
            HttpRequest request = HttpRequest.newBuilder(URI.create(statsUrl
                    + "/internal/v1/operations/OnsTrendTopicInputTps"))
                    .header("Content-Type", "application/json").header("X-Ons-Account-Id", key.accountId())
                    .header("X-Ons-Region-Id", "cn-hangzhou").header("X-Request-Id", "bench-" + i)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("internal API answered " + r.statusCode() + ": " + r.body());
            }
            if (i >= 0) {
                direct[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(direct);
        System.out.printf("    stats-service internal API directly (no gateway):  p50 %.1f ms, p99 %.1f ms%n",
                ms(pct(direct, 50)), ms(pct(direct, 99)));
    }

    // ---------------------------------------------------------------- helpers

    private static MessageLifecycleEvent event(MessageLifecycleEventType type, String account, String instance,
            String topic, long time, String group) {
        String msgId = UUID.randomUUID().toString().replace("-", "").toUpperCase();
        return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type,
                time, account, instance, topic, msgId, 0, "TagA", "key-1", "127.0.0.1:40000", null, time, time, null,
                0, 0L, 1024, 2L, group, group == null ? null : "client-1", group == null ? null : "127.0.0.1:40001",
                group == null ? null : 0, group == null ? null : time - 20, null);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
