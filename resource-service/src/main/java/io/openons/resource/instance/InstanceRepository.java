package io.openons.resource.instance;

import io.openons.contracts.error.OnsError;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Instances, always looked up within the caller's account and region. */
@ApplicationScoped
public class InstanceRepository implements PanacheRepositoryBase<Instance, String> {

    public Optional<Instance> findOwned(String accountId, String regionId, String instanceId) {
        return find("instanceId = ?1 and accountId = ?2 and regionId = ?3", instanceId, accountId, regionId)
                .firstResultOptional();
    }

    /** The caller's instance, or {@code INSTANCE_NOT_FOUND} (also for another account's instance). */
    public Instance requireOwned(String accountId, String regionId, String instanceId) {
        return findOwned(accountId, regionId, instanceId)
                .orElseThrow(() -> OnsError.INSTANCE_NOT_FOUND.exception(instanceId, regionId));
    }

    /**
     * The instance that holds a topic or group the caller names, or {@code AUTH_RESOURCE_OWNER_ERROR}
     * (also for another account's instance), the code Terraform's provider reads as "gone".
     */
    public Instance requireOwnedParent(String accountId, String regionId, String instanceId) {
        return findOwned(accountId, regionId, instanceId)
                .orElseThrow(() -> OnsError.RESOURCE_OWNER_ERROR.exception(instanceId));
    }

    public List<Instance> listOwned(String accountId, String regionId) {
        return list("accountId = ?1 and regionId = ?2 order by createTime, instanceId", accountId, regionId);
    }

    public long countOwned(String accountId, String regionId) {
        return count("accountId = ?1 and regionId = ?2", accountId, regionId);
    }

    public boolean nameTaken(String accountId, String regionId, String name, String exceptInstanceId) {
        return count("accountId = ?1 and regionId = ?2 and instanceName = ?3 and instanceId <> ?4",
                accountId, regionId, name, exceptInstanceId == null ? "" : exceptInstanceId) > 0;
    }
}
