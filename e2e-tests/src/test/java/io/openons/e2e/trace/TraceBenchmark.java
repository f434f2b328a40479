package io.openons.e2e.trace;

import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISHED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.aliyuncs.ons.model.v20190214.OnsTraceGetResultResponse.TraceData;
import io.openons.contracts.operation.InternalHeaders;
import io.openons.e2e.Fixtures;
import io.openons.e2e.Names;
import io.openons.e2e.OnsApi;
import io.openons.e2e.Suite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The trace benchmark of issue 5 (run by {@code bench/trace/run.sh}; not part of the normal test run, its class
 * name matches no test pattern):
 * <ol>
 * <li>ingestion: lifecycle events produced straight to Kafka at full speed (5 per message: publish, two
 * deliveries, two acks), measured as events stored per second by trace-service (its
 * {@code ons_trace_events_ingested_total} counter) from the first send until all are stored;</li>
 * <li>job latency: single-message OnsTraceQueryByMsgId jobs, create-to-finish, through the gateway with the official
 * ONS SDK (client-observed with 2 ms polling of OnsTraceGetResult, and the job's own CreateTime → UpdateTime), then
 * on trace-service's internal API directly.</li>
 * </ol>
 * Settings: {@code -Dbench.events} (default 500,000), {@code -Dbench.jobs} (default 500), {@code -Dbench.warmupJobs}
 * (default 100).
 */
class TraceBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final StringBuilder REPORT = new StringBuilder();

    /** Prints a line of the report and keeps it for the report file (bench/trace/run.sh prints that file). */
    private static void out(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.print(line);
        REPORT.append(line);
    }

    @Test
    void ingestionRateAndJobLatency() throws Exception {
        int events = Integer.getInteger("bench.events", 500_000);
        int jobs = Integer.getInteger("bench.jobs", 500);
        int warmup = Integer.getInteger("bench.warmupJobs", 100);
        Suite suite = Suite.get();
        String traceUrl = suite.serviceUrl("trace-service");
        OnsApi api = OnsApi.of(suite);
        String account = suite.accountId();
        String instance = Fixtures.instance(api);
        String topic = Names.unique("bench");
        Fixtures.topic(api, instance, topic, 0);
        String cpu = Runtime.getRuntime().availableProcessors() + " cores";
        out("%n=== trace benchmark (%s, suite: %s) ===%n", cpu,
                traceUrl == null ? "attached" : "started by the e2e Suite");

        // ---- 1. ingestion ----
        int messages = events / 5;
        List<String> msgIds = new ArrayList<>(Math.min(messages, 100_000));
        long before = ingested(traceUrl);
        long t = System.currentTimeMillis() - 600_000;
        long start = System.nanoTime();
        try (TraceEvents kafka = new TraceEvents(suite.kafkaBootstrap(), Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 65_536))) {
            for (int i = 0; i < messages; i++) {
                TraceEvents.Message m = new TraceEvents.Message(account, instance, topic, 0, "K" + (i % 1000));
                long at = t + i;
                kafka.sendAsync(m.publish(PUBLISHED, at, null));
                kafka.sendAsync(m.delivered("GID_a", "a-1", 0, at + 5));
                kafka.sendAsync(m.delivered("GID_b", "b-1", 0, at + 6));
                kafka.sendAsync(m.acked("GID_a", "a-1", 0, at + 5, at + 9));
                kafka.sendAsync(m.acked("GID_b", "b-1", 0, at + 6, at + 12));
                if (msgIds.size() < 100_000) {
                    msgIds.add(m.msgId());
                }
            }
            kafka.flush();
        }
        long produced = System.nanoTime();
        long total = messages * 5L;
        long tenth = before + total / 10;
        long ninetieth = before + total * 9 / 10;
        long t10 = 0;
        long t90 = 0;
        long n;
        long deadline = System.nanoTime() + 600_000_000_000L;
        do {
            Thread.sleep(50);
            n = ingested(traceUrl);
            long now = System.nanoTime();
            if (t10 == 0 && n >= tenth) {
                t10 = now;
            }
            if (t90 == 0 && n >= ninetieth) {
                t90 = now;
            }
        } while (n < before + total && System.nanoTime() < deadline);
        long done = System.nanoTime();
        double seconds = (done - start) / 1e9;
        out("ingestion: %,d events (%,d messages) produced in %.1f s (%,.0f events/s)%n",
                total, messages, (produced - start) / 1e9, total / ((produced - start) / 1e9));
        out("ingestion: %,d events stored in %.1f s from the first send: %,.0f events/s"
                + " (target >= 10,000)%n", n - before, seconds, (n - before) / seconds);
        if (t90 > t10) {
            out("ingestion: steady state (10%% -> 90%% stored): %,.0f events/s%n",
                    (ninetieth - tenth) / ((t90 - t10) / 1e9));
        }
        if (n < before + total) {
            out("ingestion: INCOMPLETE, only %,d of %,d stored within 10 minutes%n", n - before, total);
        }

        // ---- 2. job latency through the gateway with the official SDK ----
        long begin = t - 60_000;
        long end = t + messages + 60_000;
        for (int i = 0; i < warmup; i++) {
            sdkJob(api, instance, topic, msgIds.get(i % msgIds.size()), begin, end);
        }
        long[] observed = new long[jobs];
        long[] server = new long[jobs];
        for (int i = 0; i < jobs; i++) {
            long[] r = sdkJob(api, instance, topic, msgIds.get((i * 7919) % msgIds.size()), begin, end);
            observed[i] = r[0];
            server[i] = r[1];
        }
        print("job create->finish, gateway + official SDK, client-observed (2 ms polling)", observed);
        print("job create->finish, gateway + official SDK, CreateTime->UpdateTime", server);

        // ---- 3. the same directly on trace-service's internal API ----
        if (traceUrl != null) {
            for (int i = 0; i < warmup; i++) {
                internalJob(traceUrl, account, instance, topic, msgIds.get(i % msgIds.size()), begin, end);
            }
            long[] direct = new long[jobs];
            long[] directServer = new long[jobs];
            for (int i = 0; i < jobs; i++) {
                long[] r = internalJob(traceUrl, account, instance, topic, msgIds.get((i * 104729) % msgIds.size()),
                        begin, end);
                direct[i] = r[0];
                directServer[i] = r[1];
            }
            print("job create->finish, internal API, client-observed (2 ms polling)", direct);
            print("job create->finish, internal API, CreateTime->UpdateTime", directServer);
        }
        out("=== end of trace benchmark ===%n");
        java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("bench.out", "target/trace-bench.txt"));
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        java.nio.file.Files.writeString(file, REPORT.toString());
    }

    /** One job through the SDK: {client-observed ms, server CreateTime->UpdateTime ms}. */
    private static long[] sdkJob(OnsApi api, String instance, String topic, String msgId, long begin, long end)
            throws Exception {
        long start = System.nanoTime();
        String queryId = TraceQueries.byMsgId(api, instance, topic, msgId, begin, end);
        while (true) {
            TraceData data = TraceQueries.result(api, queryId);
            if ("finish".equals(data.getStatus())) {
                if (data.getTraceList().size() != 1) {
                    throw new IllegalStateException("job " + queryId + " found " + data.getTraceList().size());
                }
                return new long[] {(System.nanoTime() - start) / 1_000_000,
                        data.getUpdateTime() - data.getCreateTime()};
            }
            Thread.sleep(2);
        }
    }

    private static long[] internalJob(String url, String account, String instance, String topic, String msgId,
            long begin, long end) throws Exception {
        long start = System.nanoTime();
        JsonNode created = post(url, account, "OnsTraceQueryByMsgId", Map.of("InstanceId", instance, "Topic", topic,
                "MsgId", msgId, "BeginTime", begin, "EndTime", end));
        String queryId = created.get("QueryId").asText();
        while (true) {
            JsonNode data = post(url, account, "OnsTraceGetResult", Map.of("QueryId", queryId)).get("TraceData");
            if ("finish".equals(data.get("Status").asText())) {
                return new long[] {(System.nanoTime() - start) / 1_000_000,
                        data.get("UpdateTime").asLong() - data.get("CreateTime").asLong()};
            }
            Thread.sleep(2);
        }
    }

    private static JsonNode post(String url, String account, String action, Map<String, ?> params) throws Exception {
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

    /** trace-service's counter of stored events (Prometheus text format). */
    private static long ingested(String traceUrl) throws Exception {
        if (traceUrl == null) {
            throw new IllegalStateException("the benchmark needs the suite started by the e2e Suite (no -De2e.env)");
        }
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(traceUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith("ons_trace_events_ingested_total")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static void print(String what, long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        out("%s: n=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms (target p99 <= 500 ms)%n",
                what, sorted.length, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted[sorted.length - 1]);
    }

    private static long pct(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
