package io.openons.resource.tag;

import io.openons.service.api.TagDo;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tag bindings, always within the caller's account. */
@ApplicationScoped
public class TagRepository implements PanacheRepositoryBase<ResourceTag, Long> {

    /** The tags of each of the given resources (resources without tags are absent from the map). */
    public Map<String, List<TagDo>> tagsOf(String accountId, ResourceType type, String instanceId,
            Collection<String> resourceIds) {
        Map<String, List<TagDo>> tags = new HashMap<>();
        if (resourceIds.isEmpty()) {
            return tags;
        }
        List<ResourceTag> rows = instanceId == null
                ? list("accountId = ?1 and resourceType = ?2 and resourceId in ?3 order by tagKey",
                        accountId, type, resourceIds)
                : list("accountId = ?1 and resourceType = ?2 and instanceId = ?3 and resourceId in ?4 order by tagKey",
                        accountId, type, instanceId, resourceIds);
        for (ResourceTag row : rows) {
            tags.computeIfAbsent(row.resourceId, k -> new ArrayList<>()).add(new TagDo(row.tagKey, row.tagValue));
        }
        return tags;
    }

    public List<ResourceTag> bindingsOf(String accountId, ResourceType type, String instanceId, String resourceId) {
        return list("accountId = ?1 and resourceType = ?2 and instanceId = ?3 and resourceId = ?4",
                accountId, type, instanceId, resourceId);
    }

    /**
     * The resources (of the type, within the instance when given) that carry every one of the filter tags;
     * a filter without a value matches any value of its key.
     */
    public Set<String> resourcesWithAll(String accountId, ResourceType type, String instanceId, List<TagDo> filters) {
        Set<String> matching = null;
        for (TagDo filter : filters) {
            StringBuilder query = new StringBuilder("select distinct resourceId from ResourceTag "
                    + "where accountId = :account and resourceType = :type and tagKey = :key");
            Map<String, Object> params = new HashMap<>(Map.of("account", accountId, "type", type, "key", filter.key()));
            if (instanceId != null) {
                query.append(" and instanceId = :instance");
                params.put("instance", instanceId);
            }
            if (filter.value() != null) {
                query.append(" and tagValue = :value");
                params.put("value", filter.value());
            }
            var q = getEntityManager().createQuery(query.toString(), String.class);
            params.forEach(q::setParameter);
            Set<String> ids = new HashSet<>(q.getResultList());
            if (matching == null) {
                matching = ids;
            } else {
                matching.retainAll(ids);
            }
            if (matching.isEmpty()) {
                break;
            }
        }
        return matching == null ? Set.of() : matching;
    }

    public long deleteAllOf(String accountId, ResourceType type, String instanceId, String resourceId) {
        return delete("accountId = ?1 and resourceType = ?2 and instanceId = ?3 and resourceId = ?4",
                accountId, type, instanceId, resourceId);
    }
}
