package io.openons.resource.group;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEventType;
import io.openons.resource.instance.InstanceRepository;
import io.openons.resource.outbox.Outbox;
import io.openons.resource.persistence.Constraints;
import io.openons.resource.tag.ResourceType;
import io.openons.resource.tag.TagFilters;
import io.openons.resource.tag.TagRepository;
import io.openons.resource.validation.ResourceRules;
import io.openons.service.api.TagDo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Group ID lifecycle: OnsGroupCreate, OnsGroupDelete, OnsGroupList and the read switch. */
@ApplicationScoped
public class GroupService {

    private final InstanceRepository instances;
    private final GroupRepository groups;
    private final TagRepository tags;
    private final Outbox outbox;

    GroupService(InstanceRepository instances, GroupRepository groups, TagRepository tags, Outbox outbox) {
        this.instances = instances;
        this.groups = groups;
        this.tags = tags;
        this.outbox = outbox;
    }

    public ConsumerGroup create(String accountId, String regionId, String instanceId, String groupId,
            String groupType, String remark) {
        ResourceRules.groupId(groupId);
        String type = ResourceRules.groupType(groupType);
        ResourceRules.remark(remark);
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                instances.requireOwnedParent(accountId, regionId, instanceId);
                if (groups.findByGroupId(instanceId, groupId).isPresent()) {
                    throw OnsError.SUBSCRIPTION_EXISTED.exception(groupId, instanceId);
                }
                Instant now = Instant.now();
                ConsumerGroup group = new ConsumerGroup();
                group.instanceId = instanceId;
                group.accountId = accountId;
                group.groupId = groupId;
                group.groupType = type;
                group.readEnable = true;
                group.remark = remark;
                group.createTime = now;
                group.updateTime = now;
                groups.persistAndFlush(group);
                outbox.group(ResourceEventType.GROUP_CREATED, accountId, group.toRecord());
                return group;
            });
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "group_id_unique")) {
                throw OnsError.SUBSCRIPTION_EXISTED.exception(groupId, instanceId);
            }
            throw e;
        }
    }

    @Transactional
    public void delete(String accountId, String regionId, String instanceId, String groupId) {
        instances.requireOwnedParent(accountId, regionId, instanceId);
        ConsumerGroup group = groups.requireByGroupId(instanceId, groupId);
        tags.deleteAllOf(accountId, ResourceType.GROUP, instanceId, groupId);
        groups.delete(group);
        outbox.group(ResourceEventType.GROUP_DELETED, accountId, group.toRecord());
    }

    /** OnsGroupConsumerUpdate: switches message reading on or off for the group's consumers. */
    @Transactional
    public void setReadEnable(String accountId, String regionId, String instanceId, String groupId,
            Boolean readEnable) {
        if (readEnable == null) {
            throw OnsError.MISSING_PARAMETER.exception("ReadEnable");
        }
        instances.requireOwnedParent(accountId, regionId, instanceId);
        ConsumerGroup group = groups.requireByGroupId(instanceId, groupId);
        if (group.readEnable != readEnable) {
            group.readEnable = readEnable;
            group.updateTime = Instant.now();
            outbox.group(ResourceEventType.GROUP_UPDATED, accountId, group.toRecord());
        }
    }

    /** The instance's groups with their tags; optional filters: exact GroupId, GroupType, tags (AND). */
    @Transactional
    public List<GroupWithTags> list(String accountId, String regionId, String instanceId, String groupId,
            String groupType, List<TagDo> tagFilters) {
        List<TagDo> filters = TagFilters.of(tagFilters);
        String typeFilter = groupType == null || groupType.isEmpty() ? null : ResourceRules.groupType(groupType);
        instances.requireOwnedParent(accountId, regionId, instanceId);
        List<ConsumerGroup> found = groupId == null || groupId.isEmpty()
                ? groups.listOf(instanceId)
                : groups.findByGroupId(instanceId, groupId).stream().toList();
        if (typeFilter != null) {
            found = found.stream().filter(g -> g.groupType.equals(typeFilter)).toList();
        }
        if (!filters.isEmpty()) {
            Set<String> matching = tags.resourcesWithAll(accountId, ResourceType.GROUP, instanceId, filters);
            found = found.stream().filter(g -> matching.contains(g.groupId)).toList();
        }
        Map<String, List<TagDo>> tagsById = tags.tagsOf(accountId, ResourceType.GROUP, instanceId,
                found.stream().map(g -> g.groupId).toList());
        return found.stream().map(g -> new GroupWithTags(g, tagsById.getOrDefault(g.groupId, List.of()))).toList();
    }

    public record GroupWithTags(ConsumerGroup group, List<TagDo> tags) {
    }
}
