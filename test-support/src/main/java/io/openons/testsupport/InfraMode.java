package io.openons.testsupport;

import java.util.Locale;

/**
 * Where tests get their PostgreSQL and Kafka from, chosen with {@code -Dit.infra=...} or {@code IT_INFRA}:
 * <ul>
 * <li>{@code auto} (default): {@code containers} when a Docker engine answers, else {@code embedded};</li>
 * <li>{@code containers}: Testcontainers (postgres:16-alpine, apache/kafka:4.1.1);</li>
 * <li>{@code embedded}: an embedded PostgreSQL from Maven Central binaries and an in-JVM KRaft broker;</li>
 * <li>{@code local}: servers already running, from {@code IT_DB_URL}, {@code IT_DB_USER},
 * {@code IT_DB_PASSWORD} and {@code IT_KAFKA_BOOTSTRAP_SERVERS} (defaults 127.0.0.1:5432/appdb, app/app,
 * 127.0.0.1:9092).</li>
 * </ul>
 */
public enum InfraMode {
    AUTO, CONTAINERS, EMBEDDED, LOCAL;

    public static InfraMode configured() {
        String value = System.getProperty("it.infra");
        if (value == null || value.isBlank()) {
            value = System.getenv("IT_INFRA");
        }
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        return InfraMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
