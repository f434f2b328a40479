package io.openons.e2e;

import io.openons.testsupport.InfraEndpoints;
import io.openons.testsupport.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;

/**
 * The suite under test, started once per JVM: real PostgreSQL and Kafka (see {@link Infrastructure}), then
 * the five services from the jars the reactor built, each a separate process on a free port, configured
 * only through environment variables as in production. With {@code -De2e.env=<file>} (the
 * {@code deploy/local/.run/env} of a running local suite) the tests use that suite instead.
 */
public final class Suite {

    private static final Logger LOG = Logger.getLogger(Suite.class.getName());
    private static final String[] SERVICES = {"resource-service", "message-service", "trace-service",
            "stats-service", "gateway-service"};
    private static Suite instance;

    private final String endpoint;
    private final String accountId;
    private final String accessKeyId;
    private final String accessKeySecret;
    private final String adminToken;
    private final String kafkaBootstrap;
    private final Map<String, String> serviceUrls;
    private final Path logDirectory;
    private final boolean attached;
    private final Duration consumerOnlineWindow;
    private final List<Process> processes = new ArrayList<>();
    /** How each service was launched, so that a test can restart one (see {@link #restart(String)}). */
    private final Map<String, Process> byService = new LinkedHashMap<>();
    private final Map<String, Runnable> relaunch = new LinkedHashMap<>();

    private Suite(String endpoint, String accountId, String accessKeyId, String accessKeySecret, String adminToken,
            String kafkaBootstrap, Map<String, String> serviceUrls, Path logDirectory, boolean attached,
            Duration consumerOnlineWindow) {
        this.endpoint = endpoint;
        this.consumerOnlineWindow = consumerOnlineWindow;
        this.accountId = accountId;
        this.accessKeyId = accessKeyId;
        this.accessKeySecret = accessKeySecret;
        this.adminToken = adminToken;
        this.kafkaBootstrap = kafkaBootstrap;
        this.serviceUrls = serviceUrls;
        this.logDirectory = logDirectory;
        this.attached = attached;
    }

    public static synchronized Suite get() {
        if (instance == null) {
            String envFile = System.getProperty("e2e.env", "");
            instance = envFile.isBlank() ? start() : attach(envFilePath(envFile));
        }
        return instance;
    }

    /** The gateway's base URL, as clients use it (http://host:port). */
    public String endpoint() {
        return endpoint;
    }

    /** host:port of the gateway, as the ONS SDK's setSysEndpoint wants it. */
    public String endpointHostPort() {
        return URI.create(endpoint).getAuthority();
    }

    public String accountId() {
        return accountId;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String accessKeySecret() {
        return accessKeySecret;
    }

    public String adminToken() {
        return adminToken;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** Direct URL of a service (health, metrics, benchmarks comparing with the gateway). */
    public String serviceUrl(String service) {
        return serviceUrls.get(service);
    }

    /** Whether the tests use a suite started elsewhere ({@code -De2e.env=...}) rather than their own. */
    public boolean attached() {
        return attached;
    }

    /**
     * Skips the calling test when it runs against a suite started elsewhere: it restarts services, starts
     * replicas or reads settings only a suite of its own has. CI starts its own suite, so these tests run there.
     */
    public void requireOwnSuite(String why) {
        Assumptions.assumeFalse(attached, "needs a suite this test run starts (without -De2e.env): " + why);
    }

    /**
     * How long a consumer that stopped polling still counts as online: the e2e setting in a suite of its own,
     * else the running suite's {@code ONS_CONSUMER_ONLINE_WINDOW} from its env file, else the product default.
     */
    public Duration consumerOnlineWindow() {
        return consumerOnlineWindow;
    }

    /** A window in seconds as the services' settings write it ({@code 8s}, {@code 60s}). */
    private static Duration seconds(String setting) {
        return Duration.ofSeconds(Long.parseLong(setting.trim().replaceAll("s$", "")));
    }

    /** The log file of a service ({@code <name>.log}). */
    public Path logOf(String service) {
        return logDirectory.resolve(service + ".log");
    }

    /**
     * The env file named by {@code -De2e.env}: a relative path is read from the repository root, where the README's
     * command is typed (Maven runs the tests in {@code e2e-tests/}).
     */
    static Path envFilePath(String envFile) {
        return repositoryRoot().resolve(envFile).normalize();
    }

    /** The repository's root directory (Maven passes it as {@code e2e.root}; the tests run in {@code e2e-tests/}). */
    public static Path repositoryRoot() {
        return Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();
    }

    private static Suite attach(Path envFile) {
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(envFile)) {
            env.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + envFile, e);
        }
        return new Suite(env.getProperty("ONS_ENDPOINT"), env.getProperty("ONS_ACCOUNT_ID"),
                env.getProperty("ONS_ACCESS_KEY_ID"), env.getProperty("ONS_ACCESS_KEY_SECRET"),
                env.getProperty("ONS_ADMIN_TOKEN"), env.getProperty("ONS_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                localServiceUrls(env), envFile.toAbsolutePath().getParent().resolve("logs"), true,
                // the product default (message-service's application.properties) unless the env file names another
                seconds(env.getProperty("ONS_CONSUMER_ONLINE_WINDOW", "60s")));
    }

    /** The services of a local run (deploy/local): the ports it uses unless the env file names others. */
    private static Map<String, String> localServiceUrls(Properties env) {
        Map<String, String> urls = new LinkedHashMap<>();
        int port = 8081;
        for (String service : List.of("resource-service", "message-service", "trace-service", "stats-service")) {
            String key = "ONS_" + service.replace("-service", "").toUpperCase(java.util.Locale.ROOT) + "_SERVICE_URL";
            urls.put(service, env.getProperty(key, "http://127.0.0.1:" + port++));
        }
        urls.put("gateway-service", env.getProperty("ONS_ENDPOINT"));
        return urls;
    }

    private static Suite start() {
        Path root = repositoryRoot();
        for (String service : SERVICES) {
            Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build the services first "
                        + "(./mvnw -B verify builds them before the e2e tests, or ./mvnw -B package -DskipTests)");
            }
        }
        InfraEndpoints infra = Infrastructure.start();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : SERVICES) {
            ports.put(service, freePort());
        }
        Map<String, String> urls = new LinkedHashMap<>();
        ports.forEach((service, port) -> urls.put(service, "http://127.0.0.1:" + port));
        SecureRandom random = new SecureRandom();
        byte[] kek = new byte[32];
        random.nextBytes(kek);
        String accountId = "1" + String.format("%015d", Math.abs(random.nextLong()) % 1_000_000_000_000_000L);
        String keyId = "LTAIe2e" + Long.toHexString(random.nextLong()).toUpperCase();
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random.generateSeed(21));
        String adminToken = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());

        Map<String, String> common = new HashMap<>();
        common.put("DB_URL", infra.jdbcUrl());
        common.put("DB_USER", infra.dbUser());
        common.put("DB_PASSWORD", infra.dbPassword());
        common.put("DB_POOL_MAX", System.getProperty("e2e.dbPoolMax", "8"));
        common.put("DB_REQUEST_POOL_MAX", System.getProperty("e2e.requestPoolMax", "8"));
        common.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
        common.put("ONS_RESOURCE_SERVICE_URL", urls.get("resource-service"));
        common.put("ONS_MESSAGE_SERVICE_URL", urls.get("message-service"));
        common.put("ONS_TRACE_SERVICE_URL", urls.get("trace-service"));
        common.put("ONS_STATS_SERVICE_URL", urls.get("stats-service"));
        common.put("ONS_PUBLIC_HTTP_ENDPOINT", urls.get("gateway-service"));
        common.put("ONS_PUBLIC_KAFKA_BOOTSTRAP", infra.kafkaBootstrapServers());
        common.put("ONS_KEY_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(kek));
        common.put("ONS_BOOTSTRAP_ACCOUNT_ID", accountId);
        common.put("ONS_BOOTSTRAP_ACCESS_KEY_ID", keyId);
        common.put("ONS_BOOTSTRAP_ACCESS_KEY_SECRET", secret);
        common.put("ONS_ADMIN_TOKEN", adminToken);
        // The tests run with the opt-in observability on (trace context, every service's access log) so that they
        // can check it; the benchmarks measure the defaults (-De2e.observability=defaults).
        if (!"defaults".equals(System.getProperty("e2e.observability", "full"))) {
            common.put("OTEL_SDK_DISABLED", "false");
            common.put("ONS_ACCESS_LOG", "true");
        }
        common.putAll(E2eSettings.serviceOverrides());

        Path logs = root.resolve("e2e-tests/target/suite-logs");
        Suite suite = new Suite(urls.get("gateway-service"), accountId, keyId, secret, adminToken,
                infra.kafkaBootstrapServers(), urls, logs, false,
                seconds(E2eSettings.serviceOverrides().get("ONS_CONSUMER_ONLINE_WINDOW")));
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stop));
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long started = System.nanoTime();
        for (String service : SERVICES) {
            suite.launch(root, service, ports.get(service), common, logs);
        }
        for (String service : SERVICES) {
            waitReady(service, urls.get(service), logs.resolve(service + ".log"));
        }
        LOG.info(() -> String.format("Suite ready in %d ms: gateway %s, services %s",
                (System.nanoTime() - started) / 1_000_000, urls.get("gateway-service"), urls));
        return suite;
    }

    /** Starts another process of a service on a port (set by the first launch). */
    private java.util.function.BiFunction<String, Integer, Process> startReplica;

    private void launch(Path root, String service, int port, Map<String, String> common, Path logs) {
        Process process = startProcess(root, service, port, common, logs.resolve(service + ".log"));
        byService.put(service, process);
        relaunch.put(service, () -> launch(root, service, port, common, logs));
        startReplica = (name, replicaPort) -> startProcess(root, name, replicaPort, common,
                logs.resolve(name + "-replica-" + replicaPort + ".log"));
    }

    private Process startProcess(Path root, String service, int port, Map<String, String> common, Path log) {
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>();
        command.add(javaBin());
        command.addAll(List.of(System.getProperty("e2e.jvmArgs", "-Xmx384m -XX:+UseSerialGC").trim().split("\\s+")));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(common);
        builder.environment().put("HTTP_PORT", Integer.toString(port));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process process = builder.start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + service, e);
        }
    }

    /**
     * Starts one more replica of a service — same database, Kafka and settings, a port of its own — and answers
     * its URL once it is ready (it stops with the suite). Only for a suite this JVM started.
     */
    public synchronized String startReplica(String service) {
        if (startReplica == null || !byService.containsKey(service)) {
            throw new IllegalStateException(service + " was not started by this suite; cannot start a replica");
        }
        int port = freePort();
        startReplica.apply(service, port);
        String url = "http://127.0.0.1:" + port;
        Path root = repositoryRoot();
        waitReady(service + " replica", url,
                root.resolve("e2e-tests/target/suite-logs/" + service + "-replica-" + port + ".log"));
        return url;
    }

    /**
     * Stops one service process gracefully (SIGTERM: in-flight requests finish) and starts it again on the same
     * port with the same environment, returning once it is ready. Only for a suite this JVM started.
     */
    public synchronized void restart(String service) {
        Process process = byService.get(service);
        Runnable start = relaunch.get(service);
        if (process == null || start == null) {
            throw new IllegalStateException(service + " was not started by this suite; cannot restart it");
        }
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        processes.remove(process);
        start.run();
        Path root = repositoryRoot();
        waitReady(service, serviceUrls.get(service), root.resolve("e2e-tests/target/suite-logs/" + service + ".log"));
    }

    private static void waitReady(String service, String url, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(service + " did not become ready within 180 s; see " + log);
    }

    private void stop() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Ports handed out in this JVM: the OS may offer a port again as soon as its probe socket is closed. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A port nothing listens on now and that no other service of this suite was given (two once got the same). */
    private static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port found that was not handed out already");
    }
}
