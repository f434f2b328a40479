package io.openons.trace.health;

import io.openons.trace.ingest.LifecycleIngestor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the lifecycle-event consumer is subscribed and polling (the datasource, Kafka and resource-catalog
 * checks cover the backends themselves). Ingestion lag does not make the service unready: the trace Actions still
 * answer from what is stored, and the lag is a metric.
 */
@Readiness
@ApplicationScoped
public class IngestReadiness implements HealthCheck {

    private final LifecycleIngestor ingestor;

    IngestReadiness(LifecycleIngestor ingestor) {
        this.ingestor = ingestor;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("trace-ingest").status(ingestor.healthy()).build();
    }
}
