package io.openons.resource.topic;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEventType;
import io.openons.resource.instance.InstanceRepository;
import io.openons.resource.kafka.KafkaTopicProvisioner;
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
import org.jboss.logging.Logger;

/**
 * Topic lifecycle. A topic exists only together with its Kafka topic: the Kafka topic is created before the
 * topic is committed (and removed again if the commit fails), and removed after the topic is deleted.
 */
@ApplicationScoped
public class TopicService {

    private static final Logger LOG = Logger.getLogger(TopicService.class);

    private final InstanceRepository instances;
    private final TopicRepository topics;
    private final TagRepository tags;
    private final KafkaTopicProvisioner provisioner;
    private final KafkaTopicReaper reaper;
    private final Outbox outbox;

    TopicService(InstanceRepository instances, TopicRepository topics, TagRepository tags,
            KafkaTopicProvisioner provisioner, KafkaTopicReaper reaper, Outbox outbox) {
        this.instances = instances;
        this.topics = topics;
        this.tags = tags;
        this.provisioner = provisioner;
        this.reaper = reaper;
        this.outbox = outbox;
    }

    public Topic create(String accountId, String regionId, String instanceId, String topicName, Integer messageType,
            String remark) {
        ResourceRules.topic(topicName);
        int type = ResourceRules.messageType(messageType);
        ResourceRules.remark(remark);
        String kafkaTopic = QuarkusTransaction.requiringNew().call(() -> {
            instances.requireOwnedParent(accountId, regionId, instanceId);
            if (topics.findByName(instanceId, topicName).isPresent()) {
                throw OnsError.TOPIC_EXISTED.exception(topicName, instanceId);
            }
            String name = KafkaTopicProvisioner.kafkaTopicName(instanceId, topicName);
            if (KafkaTopicRemoval.findById(name) != null && !reaper.removeNow(name)) {
                throw OnsError.SERVICE_UNAVAILABLE.exception("the Kafka topic of a previously deleted topic \""
                        + topicName + "\" is still being removed");
            }
            return name;
        });
        int partitions = provisioner.partitionsFor(type);
        boolean createdKafkaTopic = provisioner.create(kafkaTopic, partitions);
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Instant now = Instant.now();
                Topic topic = new Topic();
                topic.instanceId = instanceId;
                topic.accountId = accountId;
                topic.topicName = topicName;
                topic.messageType = type;
                topic.perm = Topic.PERM_READ_WRITE;
                topic.remark = remark;
                topic.kafkaTopic = kafkaTopic;
                topic.partitions = partitions;
                topic.createTime = now;
                topic.updateTime = now;
                topics.persistAndFlush(topic);
                outbox.topic(ResourceEventType.TOPIC_CREATED, accountId, topic.toRecord());
                return topic;
            });
        } catch (RuntimeException e) {
            if (createdKafkaTopic) {
                compensate(kafkaTopic);
            }
            if (Constraints.violated(e, "topic_name_unique")) {
                throw OnsError.TOPIC_EXISTED.exception(topicName, instanceId);
            }
            throw e;
        }
    }

    /** Deletes the topic with its tags; its Kafka topic is removed right after the commit. */
    public void delete(String accountId, String regionId, String instanceId, String topicName) {
        String kafkaTopic = QuarkusTransaction.requiringNew().call(() -> {
            instances.requireOwnedParent(accountId, regionId, instanceId);
            Topic topic = topics.requireByName(instanceId, topicName);
            tags.deleteAllOf(accountId, ResourceType.TOPIC, instanceId, topicName);
            topics.delete(topic);
            outbox.topic(ResourceEventType.TOPIC_DELETED, accountId, topic.toRecord());
            if (KafkaTopicRemoval.findById(topic.kafkaTopic) == null) {
                KafkaTopicRemoval removal = new KafkaTopicRemoval();
                removal.kafkaTopic = topic.kafkaTopic;
                removal.requestedAt = Instant.now();
                removal.persist();
            }
            return topic.kafkaTopic;
        });
        reaper.removeNow(kafkaTopic);
    }

    @Transactional
    public void updatePerm(String accountId, String regionId, String instanceId, String topicName, Integer perm) {
        int newPerm = ResourceRules.perm(perm);
        instances.requireOwnedParent(accountId, regionId, instanceId);
        Topic topic = topics.requireByName(instanceId, topicName);
        if (topic.perm != newPerm) {
            topic.perm = newPerm;
            topic.updateTime = Instant.now();
            outbox.topic(ResourceEventType.TOPIC_UPDATED, accountId, topic.toRecord());
        }
    }

    /** The instance's topics with their tags; optional filters: exact topic name, owner and tags (AND). */
    @Transactional
    public List<TopicWithTags> list(String accountId, String regionId, String instanceId, String topicName,
            String userId, List<TagDo> tagFilters) {
        List<TagDo> filters = TagFilters.of(tagFilters);
        instances.requireOwnedParent(accountId, regionId, instanceId);
        if (userId != null && !userId.isEmpty() && !userId.equals(accountId)) {
            return List.of();
        }
        List<Topic> found = topicName == null || topicName.isEmpty()
                ? topics.listOf(instanceId)
                : topics.findByName(instanceId, topicName).stream().toList();
        if (!filters.isEmpty()) {
            Set<String> matching = tags.resourcesWithAll(accountId, ResourceType.TOPIC, instanceId, filters);
            found = found.stream().filter(t -> matching.contains(t.topicName)).toList();
        }
        Map<String, List<TagDo>> tagsByName = tags.tagsOf(accountId, ResourceType.TOPIC, instanceId,
                found.stream().map(t -> t.topicName).toList());
        return found.stream().map(t -> new TopicWithTags(t, tagsByName.getOrDefault(t.topicName, List.of()))).toList();
    }

    private void compensate(String kafkaTopic) {
        try {
            provisioner.remove(kafkaTopic);
        } catch (Exception e) {
            LOG.warnf("Could not remove Kafka topic %s after a failed create: %s", kafkaTopic, e.getMessage());
        }
    }

    public record TopicWithTags(Topic topic, List<TagDo> tags) {
    }
}
