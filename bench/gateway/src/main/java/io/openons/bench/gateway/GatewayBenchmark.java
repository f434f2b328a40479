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
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
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
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 60);
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

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        Supplier<Call> viaGateway = () -> new Call(URI.create(suite.endpoint() + "/?" + signedQuery(key, instance)),
                MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/x-www-form-urlencoded"), null);

        run(vertx, viaGateway, WARMUP_SECONDS);
        LatencyRecorder.Summary throughGateway = run(vertx, viaGateway, SECONDS);
        System.out.println("through the gateway (signed): " + throughGateway);

        String resourceService = suite.serviceUrl("resource-service");
        LatencyRecorder.Summary direct = null;
        if (resourceService != null) { // a local run's resource-service is reachable too
            String body = "{\"InstanceId\":\"" + instance + "\"}";
            Buffer bodyBuffer = Buffer.buffer(body);
            Supplier<Call> directly = () -> new Call(URI.create(resourceService + "/internal/v1/operations/OnsTopicList"),
                    MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                            .add(InternalHeaders.ACCOUNT_ID, key.accountId())
                            .add(InternalHeaders.REGION_ID, "cn-hangzhou")
                            .add(InternalHeaders.REQUEST_ID, UUID.randomUUID().toString()), bodyBuffer);
            run(vertx, directly, WARMUP_SECONDS);
            direct = run(vertx, directly, SECONDS);
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

    /** One request to send: absolute URI (with query), headers and an optional body (POST). */
    private record Call(URI uri, MultiMap headers, Buffer body) {
    }

    /**
     * Closed loop: {@link #CLIENTS} virtual clients, each sending its next request as soon as its previous one is
     * answered, over a pool of as many keep-alive connections, all driven by one event loop. A request is built
     * (and signed) when it is sent, so every one carries a fresh nonce and timestamp.
     */
    private static LatencyRecorder.Summary run(Vertx vertx, Supplier<Call> request, int seconds)
            throws InterruptedException {
        URI first = request.get().uri();
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                        .setDefaultHost(first.getHost()).setDefaultPort(first.getPort()),
                new PoolOptions().setHttp1MaxSize(CLIENTS));
        List<LatencyRecorder> recorders = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            LatencyRecorder recorder = new LatencyRecorder();
            recorders.add(recorder);
            vertx.runOnContext(v -> next(http, request, recorder, stop, done));
        }
        long started = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - started) / 1e9;
        http.close();
        return LatencyRecorder.merge(recorders, elapsed);
    }

    private static void next(HttpClient http, Supplier<Call> request, LatencyRecorder recorder, AtomicBoolean stop,
            CountDownLatch done) {
        if (stop.get()) {
            done.countDown();
            return;
        }
        Call call = request.get();
        String pathAndQuery = call.uri().getRawPath() + (call.uri().getRawQuery() == null ? ""
                : "?" + call.uri().getRawQuery());
        long start = System.nanoTime();
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(pathAndQuery).setHeaders(call.headers()))
                .compose(r -> call.body() == null ? r.send() : r.send(call.body()))
                .compose(response -> response.body().map(b -> response.statusCode()))
                .onComplete(result -> {
                    if (result.succeeded() && result.result() == 200) {
                        recorder.record(System.nanoTime() - start);
                    } else {
                        recorder.error();
                    }
                    next(http, request, recorder, stop, done);
                });
    }
}
