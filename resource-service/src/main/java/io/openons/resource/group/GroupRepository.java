package io.openons.resource.group;

import io.openons.contracts.error.OnsError;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Group IDs of an instance the caller owns (the instance check comes first, in the service). */
@ApplicationScoped
public class GroupRepository implements PanacheRepositoryBase<ConsumerGroup, Long> {

    public Optional<ConsumerGroup> findByGroupId(String instanceId, String groupId) {
        return find("instanceId = ?1 and groupId = ?2", instanceId, groupId).firstResultOptional();
    }

    public ConsumerGroup requireByGroupId(String instanceId, String groupId) {
        return findByGroupId(instanceId, groupId)
                .orElseThrow(() -> OnsError.SUBSCRIPTION_NOT_FOUND.exception(groupId, instanceId));
    }

    public List<ConsumerGroup> listOf(String instanceId) {
        return list("instanceId = ?1 order by createTime, groupId", instanceId);
    }
}
