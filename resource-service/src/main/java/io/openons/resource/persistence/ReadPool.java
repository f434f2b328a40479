package io.openons.resource.persistence;

import io.openons.resource.config.OnsConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A non-blocking PostgreSQL pool for the hot reads that consoles and Terraform repeat (OnsTopicList): the
 * request stays on its event loop from the gateway's call to the answer, with no worker thread to wake and
 * wait for. It reaches the same database as the JDBC datasource (derived from {@code quarkus.datasource.*});
 * writes keep going through Hibernate ORM and JDBC transactions.
 */
@ApplicationScoped
public class ReadPool {

    private final Pool pool;

    ReadPool(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            OnsConfig config) {
        int size = config.readPoolSize();
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
        options.addProperty("application_name", "openons-resource-reads");
        this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(10_000))
                .connectingTo(options).using(vertx).build();
    }

    public Pool pool() {
        return pool;
    }

    void close(@Observes ShutdownEvent shutdown) {
        pool.close();
    }
}
