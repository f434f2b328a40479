package io.openons.resource.instance;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEventType;
import io.openons.resource.config.OnsConfig;
import io.openons.resource.outbox.Outbox;
import io.openons.resource.region.RegionService;
import io.openons.resource.tag.ResourceType;
import io.openons.resource.tag.TagFilters;
import io.openons.resource.tag.TagRepository;
import io.openons.resource.validation.ResourceRules;
import io.openons.service.api.TagDo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Instance lifecycle: the rules of OnsInstanceCreate/Update/Delete and the instance queries. */
@ApplicationScoped
public class InstanceService {

    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final InstanceRepository instances;
    private final TagRepository tags;
    private final RegionService regions;
    private final Outbox outbox;
    private final OnsConfig config;
    private final EntityManager em;

    InstanceService(InstanceRepository instances, TagRepository tags, RegionService regions, Outbox outbox,
            OnsConfig config, EntityManager em) {
        this.instances = instances;
        this.tags = tags;
        this.regions = regions;
        this.outbox = outbox;
        this.config = config;
        this.em = em;
    }

    @Transactional
    public Instance create(String accountId, String regionId, String instanceName, String remark) {
        regions.requireServed(regionId);
        ResourceRules.instanceName(instanceName);
        ResourceRules.remark(remark);
        lockAccountRegion(accountId, regionId);
        long existing = instances.countOwned(accountId, regionId);
        if (existing >= config.instance().maxPerRegion()) {
            throw OnsError.INSTANCE_LIMIT_EXCEEDED.exception(existing, regionId);
        }
        if (instances.nameTaken(accountId, regionId, instanceName, null)) {
            throw OnsError.INSTANCE_NAME_EXISTED.exception(instanceName, regionId);
        }
        Instant now = Instant.now();
        Instance instance = new Instance();
        instance.instanceId = newInstanceId(accountId);
        instance.accountId = accountId;
        instance.regionId = regionId;
        instance.instanceName = instanceName;
        instance.remark = remark;
        instance.instanceType = Instance.TYPE_STANDARD;
        instance.instanceStatus = Instance.STATUS_RUNNING;
        instance.createTime = now;
        instance.updateTime = now;
        instances.persist(instance);
        outbox.instance(ResourceEventType.INSTANCE_CREATED, accountId, instance.toRecord());
        return instance;
    }

    public Instance baseInfo(String accountId, String regionId, String instanceId) {
        return instances.requireOwned(accountId, regionId, instanceId);
    }

    /** Empty InstanceName or Remark mean "leave unchanged", as documented. */
    @Transactional
    public void update(String accountId, String regionId, String instanceId, String instanceName, String remark) {
        Instance instance = instances.requireOwned(accountId, regionId, instanceId);
        boolean changed = false;
        if (instanceName != null && !instanceName.isEmpty() && !instanceName.equals(instance.instanceName)) {
            ResourceRules.instanceName(instanceName);
            lockAccountRegion(accountId, regionId);
            if (instances.nameTaken(accountId, regionId, instanceName, instanceId)) {
                throw OnsError.INSTANCE_NAME_EXISTED.exception(instanceName, regionId);
            }
            instance.instanceName = instanceName;
            changed = true;
        }
        if (remark != null && !remark.isEmpty() && !remark.equals(instance.remark)) {
            instance.remark = ResourceRules.remark(remark);
            changed = true;
        }
        if (changed) {
            instance.updateTime = Instant.now();
            outbox.instance(ResourceEventType.INSTANCE_UPDATED, accountId, instance.toRecord());
        }
    }

    /** Deletes an instance that holds no topic and no Group ID, with its tags. */
    @Transactional
    public void delete(String accountId, String regionId, String instanceId) {
        Instance instance = instances.requireOwned(accountId, regionId, instanceId);
        em.lock(instance, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        long topics = (Long) em.createQuery("select count(t) from Topic t where t.instanceId = ?1")
                .setParameter(1, instanceId).getSingleResult();
        long groups = (Long) em.createQuery("select count(g) from ConsumerGroup g where g.instanceId = ?1")
                .setParameter(1, instanceId).getSingleResult();
        if (topics > 0 || groups > 0) {
            throw OnsError.INSTANCE_NOT_EMPTY.exception(instanceId, topics, groups);
        }
        tags.deleteAllOf(accountId, ResourceType.INSTANCE, instanceId, instanceId);
        instances.delete(instance);
        outbox.instance(ResourceEventType.INSTANCE_DELETED, accountId, instance.toRecord());
    }

    /** The caller's instances in the region, with their tags, filtered by tags (AND) when given. */
    public List<InstanceWithTags> list(String accountId, String regionId, List<TagDo> tagFilters) {
        List<TagDo> filters = TagFilters.of(tagFilters);
        List<Instance> owned = instances.listOwned(accountId, regionId);
        if (!filters.isEmpty()) {
            Set<String> matching = tags.resourcesWithAll(accountId, ResourceType.INSTANCE, null, filters);
            owned = owned.stream().filter(i -> matching.contains(i.instanceId)).toList();
        }
        Map<String, List<TagDo>> tagsById = tags.tagsOf(accountId, ResourceType.INSTANCE, null,
                owned.stream().map(i -> i.instanceId).toList());
        return owned.stream().map(i -> new InstanceWithTags(i, tagsById.getOrDefault(i.instanceId, List.of())))
                .toList();
    }

    /** Serialises instance creation and renaming per account and region (limit and unique names). */
    private void lockAccountRegion(String accountId, String regionId) {
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(?1))) AS locked")
                .setParameter(1, "instance:" + accountId + ":" + regionId).getSingleResult();
    }

    private static String newInstanceId(String accountId) {
        StringBuilder suffix = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            suffix.append(ID_CHARS[RANDOM.nextInt(ID_CHARS.length)]);
        }
        return "MQ_INST_" + accountId + "_" + suffix;
    }

    public record InstanceWithTags(Instance instance, List<TagDo> tags) {
    }
}
