package io.openons.gateway.routing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's internal HTTP client to one owning service: pooled keep-alive connections, non-blocking
 * (the answer is a {@link CompletionStage}, so long calls never pin a thread). It is deliberately thin — the
 * gateway forwards bodies it already has and reads bodies it renders itself — so the hop costs little CPU.
 */
public final class ServiceClient {

    private final String serviceName;
    private final String host;
    private final int port;
    private final HttpClient http;
    private final long timeoutMillis;

    ServiceClient(Vertx vertx, String serviceName, URI baseUri, Duration timeout, int maxConnections) {
        this.serviceName = serviceName;
        this.host = baseUri.getHost();
        this.port = baseUri.getPort() > 0 ? baseUri.getPort() : ("https".equals(baseUri.getScheme()) ? 443 : 80);
        this.timeoutMillis = timeout.toMillis();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setSsl("https".equals(baseUri.getScheme()))
                        .setKeepAlive(true)
                        .setConnectTimeout(2_000)
                        .setIdleTimeout(60)
                        .setDefaultHost(host)
                        .setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(10_000));
    }

    public String serviceName() {
        return serviceName;
    }

    /** POSTs a body to a path of the service; completes with the status and body of the answer. */
    public CompletionStage<Answer> post(String path, MultiMap headers, Buffer body) {
        return send(HttpMethod.POST, path, headers, body, timeoutMillis);
    }

    /** Sends a request with its own timeout (long polls). */
    public CompletionStage<Answer> send(HttpMethod method, String pathAndQuery, MultiMap headers, Buffer body,
            long timeout) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port)
                .setURI(pathAndQuery).setHeaders(headers).setIdleTimeout(timeout);
        return http.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.headers(), b)))
                .toCompletionStage();
    }

    void close() {
        http.close();
    }

    /** A service's answer. */
    public record Answer(int status, MultiMap headers, Buffer body) {
    }
}
