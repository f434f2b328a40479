package io.openons.stats.health;

import io.openons.stats.ingest.LifecycleIngest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Alive while the aggregation thread runs: a replica whose loop died counts nothing and must be restarted. */
@Liveness
@ApplicationScoped
public class IngestLiveness implements HealthCheck {

    private final LifecycleIngest ingest;

    IngestLiveness(LifecycleIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("lifecycle-aggregation").status(ingest.running())
                .withData("lastPoll", ingest.lastPoll()).build();
    }
}
