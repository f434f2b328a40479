package io.openons.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Starts real PostgreSQL and Kafka once per JVM for the tests, in the {@link InfraMode} configured, and
 * stops them when the JVM exits. The same test code runs against every mode.
 */
public final class Infrastructure {

    private static final Logger LOG = Logger.getLogger(Infrastructure.class.getName());
    /** The in-JVM broker logs every controller step at INFO; tests want its warnings only (held: JUL is weak). */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.apache.kafka"), Logger.getLogger("kafka"),
            Logger.getLogger("state.change.logger"));
    private static InfraEndpoints endpoints;

    private Infrastructure() {
    }

    /** Starts the infrastructure on first use and answers how to reach it. */
    public static synchronized InfraEndpoints start() {
        if (endpoints == null) {
            InfraMode mode = InfraMode.configured();
            if (mode == InfraMode.AUTO) {
                mode = dockerAvailable() ? InfraMode.CONTAINERS : InfraMode.EMBEDDED;
            }
            long started = System.nanoTime();
            InfraMode chosen = mode;
            endpoints = switch (mode) {
                case CONTAINERS -> startContainers();
                case EMBEDDED -> startEmbedded();
                case LOCAL -> local();
                case AUTO -> throw new IllegalStateException("unreachable");
            };
            LOG.info(() -> String.format("Test infrastructure (%s) ready in %d ms: %s", chosen,
                    (System.nanoTime() - started) / 1_000_000, endpoints));
        }
        return endpoints;
    }

    /** Creates a database of that name if missing and answers its JDBC URL (same server, same user). */
    public static String database(String name) {
        InfraEndpoints ep = start();
        try (Connection c = DriverManager.getConnection(ep.jdbcUrl(), ep.dbUser(), ep.dbPassword());
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "") + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name, e);
        }
        int q = ep.jdbcUrl().indexOf('?');
        String base = q < 0 ? ep.jdbcUrl() : ep.jdbcUrl().substring(0, q);
        String query = q < 0 ? "" : ep.jdbcUrl().substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + query;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static InfraEndpoints startContainers() {
        PostgreSQLContainer pg = new PostgreSQLContainer("postgres:16-alpine");
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
        pg.start();
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            pg.stop();
        }));
        return new InfraEndpoints(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword(), kafka.getBootstrapServers());
    }

    private static InfraEndpoints startEmbedded() {
        try {
            Path pgDir = Files.createTempDirectory("openons-test-pg");
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgDir)
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
            // The in-JVM broker must never end the test JVM: Kafka's fatal paths (also while it shuts down with
            // the JVM) call Exit.exit/halt, which would turn a green test run into a failed fork.
            org.apache.kafka.common.utils.Exit.setExitProcedure((status, message) ->
                    LOG.warning("Kafka test broker asked to exit (" + status + "): " + message));
            org.apache.kafka.common.utils.Exit.setHaltProcedure((status, message) ->
                    LOG.warning("Kafka test broker asked to halt (" + status + "): " + message));
            KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    kafka.close();
                } catch (Exception e) {
                    LOG.warning("Kafka test broker did not close cleanly: " + e);
                }
                try {
                    pg.close();
                } catch (IOException e) {
                    LOG.warning("Embedded PostgreSQL did not close cleanly: " + e);
                }
            }));
            return new InfraEndpoints(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres",
                    kafka.bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the embedded test infrastructure", e);
        }
    }

    private static InfraEndpoints local() {
        return new InfraEndpoints(
                env("IT_DB_URL").orElse("jdbc:postgresql://127.0.0.1:5432/appdb"),
                env("IT_DB_USER").orElse("app"),
                env("IT_DB_PASSWORD").orElse("app"),
                env("IT_KAFKA_BOOTSTRAP_SERVERS").orElse("127.0.0.1:9092"));
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    /** Quarkus configuration that points a service under test at the infrastructure. */
    public static Map<String, String> quarkusConfig() {
        InfraEndpoints ep = start();
        return Map.of(
                "quarkus.datasource.jdbc.url", ep.jdbcUrl(),
                "quarkus.datasource.username", ep.dbUser(),
                "quarkus.datasource.password", ep.dbPassword(),
                "kafka.bootstrap.servers", ep.kafkaBootstrapServers());
    }
}
