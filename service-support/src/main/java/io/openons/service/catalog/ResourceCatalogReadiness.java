package io.openons.service.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the resource catalog has read the resource events that existed at start. */
@Readiness
@ApplicationScoped
public class ResourceCatalogReadiness implements HealthCheck {

    private final ResourceCatalog catalog;

    ResourceCatalogReadiness(ResourceCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("resource-catalog").status(catalog.caughtUp()).build();
    }
}
