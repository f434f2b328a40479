package io.openons.e2e.messaging.bench;

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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's HTTP client: keep-alive connections driven by one event loop (like wrk), so that 64
 * concurrent publishers cost one thread instead of 64 blocking ones on the two cores the suite runs on.
 */
final class HttpLoad implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClient http;

    /** A client of the host and port of {@code base}, with at most {@code connections} connections. */
    HttpLoad(URI base, int connections) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setDefaultHost(base.getHost()).setDefaultPort(base.getPort()),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    /** The status and body of one answer. */
    record Answer(int status, String body) {
    }

    /** POSTs the body; completes with the whole answer. */
    CompletionStage<Answer> post(String target, MultiMap headers, Buffer body) {
        return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(target).setHeaders(headers)
                        .setIdleTimeout(60_000))
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString())))
                .toCompletionStage();
    }

    @Override
    public void close() throws Exception {
        http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
