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
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
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

    /**
     * The instance's topics with their tags; optional filters: exact topic name, owner and tags (AND). One
     * query answers ownership, topics and tags together, without blocking a thread: this is the hot read of
     * consoles and Terraform.
     */
    public Uni<List<TopicView>> list(String accountId, String regionId, String instanceId, String topicName,
            String userId, List<TagDo> tagFilters) {
        List<TagDo> filters = TagFilters.of(tagFilters);
        return topics.listWithTags(accountId, regionId, instanceId,
                        topicName == null || topicName.isEmpty() ? null : topicName)
                .map(found -> {
                    List<TopicView> listed = found.orElseThrow(
                            () -> OnsError.RESOURCE_OWNER_ERROR.exception(instanceId));
                    if (userId != null && !userId.isEmpty() && !userId.equals(accountId)) {
                        return List.of();
                    }
                    return listed.stream().filter(t -> carriesAll(t.tags(), filters)).toList();
                });
    }

    private static boolean carriesAll(List<TagDo> tags, List<TagDo> filters) {
        for (TagDo filter : filters) {
            boolean found = tags.stream().anyMatch(t -> t.key().equals(filter.key())
                    && (filter.value() == null || filter.value().equals(t.value())));
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private void compensate(String kafkaTopic) {
        try {
            provisioner.remove(kafkaTopic);
        } catch (Exception e) {
            LOG.warnf("Could not remove Kafka topic %s after a failed create: %s", kafkaTopic, e.getMessage());
        }
    }
}
