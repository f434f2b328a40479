package io.openons.gateway.auth;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's non-blocking PostgreSQL pool for the request path (access-key lookups, nonce claims), so that
 * authenticating a request never parks a thread. It reaches the same database as the JDBC datasource (its
 * settings are derived from {@code quarkus.datasource.*}), and commits without waiting for the WAL flush.
 */
@ApplicationScoped
public class RequestPathDatabase {

    private final Pool pool;

    RequestPathDatabase(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            io.openons.gateway.config.GatewayConfig config) {
        int size = config.requestPoolSize();
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("quarkus.datasource.jdbc.url must be a jdbc:postgresql: URL, got " + jdbcUrl);
        }
        PgConnectOptions options = PgConnectOptions.fromUri(jdbcUrl.substring("jdbc:".length()));
        if (user != null && !user.isBlank()) {
            options.setUser(user);
        }
        if (password != null && !password.isBlank()) {
            options.setPassword(password);
        }
        options.setCachePreparedStatements(true);
        options.addProperty("synchronous_commit", "off");
        options.addProperty("application_name", "openons-gateway-requests");
        this.pool = PgPool.pool(vertx, options, new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(10_000));
    }

    public Pool pool() {
        return pool;
    }

    void close(@Observes ShutdownEvent shutdown) {
        pool.close();
    }
}
