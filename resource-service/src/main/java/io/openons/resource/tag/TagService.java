package io.openons.resource.tag;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.operation.ParamSpec;
import io.openons.resource.group.GroupRepository;
import io.openons.resource.instance.InstanceRepository;
import io.openons.resource.topic.TopicRepository;
import io.openons.resource.validation.ResourceRules;
import io.openons.service.api.TagDo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** TagResources, ListTagResources and UntagResources over instances, topics and Group IDs. */
@ApplicationScoped
public class TagService {

    /** At most this many tags on one resource. */
    public static final int MAX_TAGS_PER_RESOURCE = 20;
    /** At most this many resources in one tag request (not documented; ours). */
    public static final int MAX_RESOURCES_PER_REQUEST = 50;
    /** Bindings per ListTagResources page. */
    public static final int PAGE_SIZE = 50;

    private final TagRepository tags;
    private final InstanceRepository instances;
    private final TopicRepository topics;
    private final GroupRepository groups;

    TagService(TagRepository tags, InstanceRepository instances, TopicRepository topics, GroupRepository groups) {
        this.tags = tags;
        this.instances = instances;
        this.topics = topics;
        this.groups = groups;
    }

    /** Binds the tags to every resource, replacing the value of a key a resource already has; all or nothing. */
    @Transactional
    public void tag(String accountId, String regionId, String resourceType, String instanceId,
            List<String> resourceIds, List<TagDo> newTags) {
        ResourceType type = ResourceType.parse(resourceType);
        List<String> ids = resourceIds(resourceIds);
        if (newTags == null || newTags.isEmpty()) {
            throw OnsError.MISSING_PARAMETER.exception("Tag.1.Key");
        }
        Map<String, String> tagMap = new LinkedHashMap<>();
        for (TagDo t : newTags) {
            tagMap.put(ResourceRules.tagKey(t.key()), ResourceRules.tagValue(t.value()));
        }
        for (String resourceId : ids) {
            String scope = requireResource(accountId, regionId, type, instanceId, resourceId);
            Map<String, ResourceTag> existing = new HashMap<>();
            for (ResourceTag row : tags.bindingsOf(accountId, type, scope, resourceId)) {
                existing.put(row.tagKey, row);
            }
            Set<String> keys = new HashSet<>(existing.keySet());
            keys.addAll(tagMap.keySet());
            if (keys.size() > MAX_TAGS_PER_RESOURCE) {
                throw OnsError.TOO_MANY_TAGS.exception(resourceId, keys.size(), MAX_TAGS_PER_RESOURCE);
            }
            for (Map.Entry<String, String> t : tagMap.entrySet()) {
                ResourceTag row = existing.get(t.getKey());
                if (row == null) {
                    row = new ResourceTag();
                    row.accountId = accountId;
                    row.resourceType = type;
                    row.instanceId = scope;
                    row.resourceId = resourceId;
                    row.tagKey = t.getKey();
                    row.tagValue = t.getValue();
                    tags.persist(row);
                } else {
                    row.tagValue = t.getValue();
                }
            }
        }
    }

    /**
     * Removes the named tag keys (or, with {@code all} and no keys, every tag) from every resource. Neither
     * keys nor {@code all}: nothing to remove (docs/decisions/0010-tag-semantics.md).
     */
    @Transactional
    public void untag(String accountId, String regionId, String resourceType, String instanceId,
            List<String> resourceIds, List<String> tagKeys, Boolean all) {
        ResourceType type = ResourceType.parse(resourceType);
        List<String> ids = resourceIds(resourceIds);
        List<String> keys = tagKeys == null ? List.of() : tagKeys;
        if (keys.size() > ParamSpec.MAX_LIST_ENTRIES) {
            throw ResourceRules.invalid("TagKey.N has %d entries: at most %d are allowed.", keys.size(),
                    ParamSpec.MAX_LIST_ENTRIES);
        }
        keys.forEach(ResourceRules::tagKey);
        for (String resourceId : ids) {
            String scope = requireResource(accountId, regionId, type, instanceId, resourceId);
            if (!keys.isEmpty()) {
                tags.delete("accountId = ?1 and resourceType = ?2 and instanceId = ?3 and resourceId = ?4 "
                        + "and tagKey in ?5", accountId, type, scope, resourceId, keys);
            } else if (Boolean.TRUE.equals(all)) {
                tags.deleteAllOf(accountId, type, scope, resourceId);
            }
        }
    }

    /**
     * The tag bindings of the resources that match: given ResourceId.N (any of them) and given Tag.N (all of
     * them); without either, every tagged resource of the type. Ordered, paged with an opaque NextToken.
     */
    @Transactional
    public Page list(String accountId, String regionId, String resourceType, String instanceId,
            List<String> resourceIds, List<TagDo> tagFilters, String nextToken) {
        ResourceType type = ResourceType.parse(resourceType);
        List<TagDo> filters = TagFilters.of(tagFilters);
        String scope = null;
        if (type != ResourceType.INSTANCE) {
            if (instanceId == null || instanceId.isEmpty()) {
                throw OnsError.MISSING_PARAMETER.exception("InstanceId");
            }
            instances.requireOwnedParent(accountId, regionId, instanceId);
            scope = instanceId;
        }
        Set<String> ids = resourceIds == null || resourceIds.isEmpty() ? null : new LinkedHashSet<>(resourceIds);
        if (ids != null && ids.size() > MAX_RESOURCES_PER_REQUEST) {
            throw ResourceRules.invalid("ResourceId.N has %d entries: at most %d are allowed.", ids.size(),
                    MAX_RESOURCES_PER_REQUEST);
        }
        if (!filters.isEmpty()) {
            Set<String> matching = tags.resourcesWithAll(accountId, type, scope, filters);
            ids = ids == null ? matching : retain(ids, matching);
        }
        long after = decodeToken(nextToken);
        StringBuilder query = new StringBuilder("accountId = :account and resourceType = :type and id > :after");
        Map<String, Object> params = new HashMap<>(Map.of("account", accountId, "type", type, "after", after));
        if (scope != null) {
            query.append(" and instanceId = :instance");
            params.put("instance", scope);
        }
        if (ids != null) {
            if (ids.isEmpty()) {
                return new Page(List.of(), null);
            }
            query.append(" and resourceId in :ids");
            params.put("ids", ids);
        }
        List<ResourceTag> rows = tags.find(query + " order by id", params).page(0, PAGE_SIZE + 1).list();
        List<ResourceTag> visible = new ArrayList<>(rows);
        if (type == ResourceType.INSTANCE) {
            // Instances of other regions stay invisible, as everywhere else.
            Set<String> regional = new HashSet<>();
            instances.listOwned(accountId, regionId).forEach(i -> regional.add(i.instanceId));
            visible.removeIf(r -> !regional.contains(r.resourceId));
        }
        String token = null;
        if (rows.size() > PAGE_SIZE) {
            visible.removeIf(r -> r.id > rows.get(PAGE_SIZE - 1).id);
            token = encodeToken(rows.get(PAGE_SIZE - 1).id);
        }
        return new Page(visible, token);
    }

    /** Checks the resource exists and is the caller's; answers the instance that scopes its tags. */
    private String requireResource(String accountId, String regionId, ResourceType type, String instanceId,
            String resourceId) {
        if (type == ResourceType.INSTANCE) {
            instances.requireOwned(accountId, regionId, resourceId);
            return resourceId;
        }
        if (instanceId == null || instanceId.isEmpty()) {
            throw OnsError.MISSING_PARAMETER.exception("InstanceId");
        }
        instances.requireOwnedParent(accountId, regionId, instanceId);
        if (type == ResourceType.TOPIC) {
            topics.requireByName(instanceId, resourceId);
        } else {
            groups.requireByGroupId(instanceId, resourceId);
        }
        return instanceId;
    }

    private static List<String> resourceIds(List<String> resourceIds) {
        if (resourceIds == null || resourceIds.isEmpty()) {
            throw OnsError.MISSING_PARAMETER.exception("ResourceId.1");
        }
        if (resourceIds.size() > MAX_RESOURCES_PER_REQUEST) {
            throw ResourceRules.invalid("ResourceId.N has %d entries: at most %d are allowed.", resourceIds.size(),
                    MAX_RESOURCES_PER_REQUEST);
        }
        return new ArrayList<>(new LinkedHashSet<>(resourceIds));
    }

    private static Set<String> retain(Set<String> ids, Set<String> matching) {
        Set<String> result = new LinkedHashSet<>(ids);
        result.retainAll(matching);
        return result;
    }

    private static long decodeToken(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(token, 16);
        } catch (NumberFormatException e) {
            throw ResourceRules.invalid("NextToken \"%s\" is invalid: pass the NextToken of the previous answer.",
                    token);
        }
    }

    private static String encodeToken(long id) {
        return String.format("%016x", id);
    }

    /** One page of bindings and the token of the next page (null at the end). */
    public record Page(List<ResourceTag> bindings, String nextToken) {
    }
}
