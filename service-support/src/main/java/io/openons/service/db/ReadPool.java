package io.openons.service.db;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A non-blocking PostgreSQL pool for the hot reads that clients repeat (OnsTopicList, OnsMessageGetByMsgId): the
 * request stays on its event loop from the gateway's call to the answer, with no worker thread to wake and wait
 * for (docs/decisions/0019). It reaches the same database as the service's JDBC datasource (derived from
 * {@code quarkus.datasource.*}, including the JDBC {@code currentSchema}); writes keep going through JDBC
 * transactions. Size: {@code db.read-pool-size}
 * (env {@code DB_READ_POOL_MAX}, default 4). A service that injects nothing of it has no such pool.
 */
@ApplicationScoped
public class ReadPool {

    private final Pool pool;

    ReadPool(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            @ConfigProperty(name = "db.read-pool-size", defaultValue = "4") int size,
            @ConfigProperty(name = "quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema")
            Optional<String> schema,
            @ConfigProperty(name = "quarkus.application.name") String application) {
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
        // The same schema as the JDBC connections see, so that both resolve unqualified names alike.
        schema.filter(name -> !name.isBlank()).ifPresent(name -> options.addProperty("search_path", name));
        options.addProperty("application_name", "openons-" + application + "-reads");
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
