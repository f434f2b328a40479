package io.openons.bench.gateway;

import com.aliyuncs.ons.model.v20190214.OnsTopicListRequest;
import io.openons.bench.LatencyRecorder;
import io.openons.contracts.operation.InternalHeaders;
import io.openons.e2e.Accounts;
import io.openons.e2e.Fixtures;
import io.openons.e2e.OnsApi;
import io.openons.e2e.Suite;
import io.openons.signature.PercentEncoding;
import io.openons.signature.RpcSignatureV1;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Issue 2's benchmark: signed OnsTopicList through the gateway with N concurrent clients (default 50), then
 * the same operation called directly on resource-service's internal API, with the whole suite running on this
 * machine. Prints both figures and the gateway's overhead as a ratio. Each client signs every request like the
 * official SDK (fresh nonce and timestamp), so the gateway does its full work: signature, nonce, routing,
 * rendering.
 */
public final class GatewayBenchmark {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 50);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 15);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final int TOPICS = Integer.getInteger("bench.topics", 10);

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Suite suite = Suite.get();
        Accounts.Key key = Accounts.create(suite, "bench-gateway");
        OnsApi api = OnsApi.of(suite, key.accessKeyId(), key.accessKeySecret());
        String instance = Fixtures.instance(api);
        for (int i = 0; i < TOPICS; i++) {
            Fixtures.topic(api, instance, "bench-topic-" + i, 0);
        }
        // Sanity: the official SDK reads the answer we are about to hammer.
        OnsTopicListRequest check = new OnsTopicListRequest();
        check.setInstanceId(instance);
        int listed = api.call(check).getData().size();
        if (listed != TOPICS) {
            throw new IllegalStateException("OnsTopicList answered " + listed + " topics, expected " + TOPICS);
        }

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI gateway = URI.create(suite.endpoint() + "/");
        Supplier<HttpRequest> viaGateway = () -> HttpRequest.newBuilder(URI.create(gateway + "?"
                        + signedQuery(key, instance)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()).build();

        System.out.printf("OpenONS gateway benchmark: %d clients, %d s warm-up, %d s measured, OnsTopicList of "
                + "an instance with %d topics%n", CLIENTS, WARMUP_SECONDS, SECONDS, TOPICS);
        run(http, viaGateway, WARMUP_SECONDS);
        LatencyRecorder.Summary throughGateway = run(http, viaGateway, SECONDS);
        System.out.println("through the gateway (signed): " + throughGateway);

        String resourceService = suite.serviceUrl("resource-service");
        LatencyRecorder.Summary direct = null;
        if (resourceService != null) { // a local run's resource-service is reachable too
            String body = "{\"InstanceId\":\"" + instance + "\"}";
            Supplier<HttpRequest> directly = () -> HttpRequest.newBuilder(
                            URI.create(resourceService + "/internal/v1/operations/OnsTopicList"))
                    .header("Content-Type", "application/json")
                    .header(InternalHeaders.ACCOUNT_ID, key.accountId())
                    .header(InternalHeaders.REGION_ID, "cn-hangzhou")
                    .header(InternalHeaders.REQUEST_ID, UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            run(http, directly, WARMUP_SECONDS);
            direct = run(http, directly, SECONDS);
            System.out.println("resource-service directly:    " + direct);
            System.out.printf("gateway overhead: throughput ratio %.2f (gateway/direct), p99 ratio %.2f%n",
                    throughGateway.perSecond() / direct.perSecond(), throughGateway.p99() / direct.p99());
        } else {
            System.out.println("resource-service directly: skipped (attached to a running suite)");
        }
        boolean met = throughGateway.perSecond() >= 2000 && throughGateway.p99() <= 20;
        System.out.printf("target (>= 2,000 req/s with p99 <= 20 ms through the gateway): %s%n",
                met ? "MET" : "NOT MET");
        System.exit(0);
    }

    static String signedQuery(Accounts.Key key, String instanceId) {
        Map<String, String> p = new TreeMap<>();
        p.put("Action", "OnsTopicList");
        p.put("Version", "2019-02-14");
        p.put("Format", "JSON");
        p.put("AccessKeyId", key.accessKeyId());
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", UUID.randomUUID().toString().replace("-", ""));
        p.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("RegionId", "cn-hangzhou");
        p.put("InstanceId", instanceId);
        p.put("Signature", RpcSignatureV1.sign(key.accessKeySecret(), RpcSignatureV1.stringToSign("POST", p)));
        return p.entrySet().stream().map(e -> PercentEncoding.encode(e.getKey()) + "="
                + PercentEncoding.encode(e.getValue())).collect(Collectors.joining("&"));
    }

    private static LatencyRecorder.Summary run(HttpClient http, Supplier<HttpRequest> request, int seconds)
            throws InterruptedException {
        List<LatencyRecorder> recorders = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            LatencyRecorder recorder = new LatencyRecorder();
            recorders.add(recorder);
            Thread client = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        HttpRequest r = request.get();
                        long start = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
                            if (response.statusCode() == 200) {
                                recorder.record(System.nanoTime() - start);
                            } else {
                                recorder.error();
                            }
                        } catch (Exception e) {
                            recorder.error();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "bench-client-" + i);
            client.setDaemon(true);
            client.start();
        }
        long started = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        return LatencyRecorder.merge(recorders, (System.nanoTime() - started) / 1e9);
    }
}
