package io.openons.deploy.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The smallest Kubernetes API the chart's {@code lookup} calls need: discovery of {@code v1} and GET of Secrets
 * from an in-memory map (404 for anything else).
 *
 * <p>Why: helm-java renders with a live-cluster dry run, so {@code lookup} asks the API server of the current
 * kubeconfig (where {@code helm template} would answer "nothing"). Surefire points {@code KUBECONFIG} at a file
 * this class writes, so the tests never touch a real cluster, and a test can seed a Secret to play an upgrade.
 */
final class FakeKubernetesApi {

    private static FakeKubernetesApi instance;

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private FakeKubernetesApi(Path kubeconfig) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(null);
        server.start();
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster:
                      server: http://127.0.0.1:%d
                users:
                  - name: fake
                    user: {}
                contexts:
                  - name: fake
                    context: {cluster: fake, user: fake}
                current-context: fake
                """.formatted(server.getAddress().getPort()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    }

    /** Starts the API once per JVM and writes the kubeconfig Helm reads. */
    static synchronized FakeKubernetesApi get() {
        if (instance == null) {
            String expected = System.getProperty("openons.fake.kubeconfig");
            String actual = System.getenv("KUBECONFIG");
            if (expected == null || !expected.equals(actual)) {
                throw new IllegalStateException("Run these tests through Maven (./mvnw -pl deploy/helm verify): "
                        + "Surefire points KUBECONFIG at a fake API server so Helm's lookup never reaches a real "
                        + "cluster (KUBECONFIG=" + actual + ", expected " + expected + ")");
            }
            try {
                instance = new FakeKubernetesApi(Path.of(expected));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    void putSecret(Secret secret) {
        secrets.put(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(),
                serialization.asJson(secret));
    }

    void clear() {
        secrets.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.split("/");
        String body;
        int status = 200;
        if ("GET".equals(exchange.getRequestMethod()) && path.equals("/api/v1")) {
            body = """
                    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
                      {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get"]}]}
                    """;
        } else if ("GET".equals(exchange.getRequestMethod()) && parts.length == 7 && path.startsWith("/api/v1/namespaces/")
                && parts[5].equals("secrets") && secrets.containsKey(parts[4] + "/" + parts[6])) {
            body = secrets.get(parts[4] + "/" + parts[6]);
        } else {
            status = 404;
            body = """
                    {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404}
                    """;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
