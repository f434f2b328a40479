package io.openons.message.health;

import io.openons.message.consume.ArrivalBus;
import io.openons.message.index.Indexer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when Kafka answers, the indexer is consuming and the arrival listener is connected. (PostgreSQL's
 * readiness is the datasource check of the Agroal extension.)
 */
@Readiness
@ApplicationScoped
public class MessagingReadiness implements HealthCheck {

    private static final long CACHE_MILLIS = 2_000;

    private final Admin admin;
    private final Indexer indexer;
    private final ArrivalBus arrivals;
    private volatile long checkedAt;
    private volatile String kafkaProblem = "not checked yet";

    MessagingReadiness(Admin admin, Indexer indexer, ArrivalBus arrivals) {
        this.admin = admin;
        this.indexer = indexer;
        this.arrivals = arrivals;
    }

    @Override
    public HealthCheckResponse call() {
        String kafka = kafkaProblem();
        boolean up = kafka == null && indexer.healthy() && arrivals.listening();
        return HealthCheckResponse.named("messaging").status(up)
                .withData("kafka", kafka == null ? "UP" : kafka)
                .withData("indexer", indexer.healthy() ? "UP" : "DOWN")
                .withData("arrival-listener", arrivals.listening() ? "UP" : "DOWN")
                .build();
    }

    private String kafkaProblem() {
        long now = System.currentTimeMillis();
        if (now - checkedAt > CACHE_MILLIS) {
            try {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                kafkaProblem = null;
            } catch (Exception e) {
                kafkaProblem = "DOWN: " + e.getMessage();
            }
            checkedAt = now;
        }
        return kafkaProblem;
    }
}
