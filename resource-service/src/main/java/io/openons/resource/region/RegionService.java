package io.openons.resource.region;

import io.openons.contracts.error.OnsError;
import io.openons.resource.config.OnsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The regions this installation serves, from configuration. */
@ApplicationScoped
public class RegionService {

    private final OnsConfig config;

    RegionService(OnsConfig config) {
        this.config = config;
    }

    public List<OnsConfig.Region> regions() {
        return config.regions();
    }

    /** Fails with {@code BIZ_REGION_NOT_FOUND} unless the region is served here. */
    public String requireServed(String regionId) {
        for (OnsConfig.Region region : config.regions()) {
            if (region.id().equals(regionId)) {
                return regionId;
            }
        }
        throw OnsError.REGION_NOT_FOUND.exception(regionId);
    }
}
