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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final DataSource dataSource;

    TopicService(InstanceRepository instances, TopicRepository topics, TagRepository tags,
            KafkaTopicProvisioner provisioner, KafkaTopicReaper reaper, Outbox outbox,
            DataSource dataSource) {
        this.dataSource = dataSource;
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
     * query answers ownership, topics and tags together: this is the hot read of consoles and Terraform.
     */
    public List<TopicView> list(String accountId, String regionId, String instanceId, String topicName,
            String userId, List<TagDo> tagFilters) {
        List<TagDo> filters = TagFilters.of(tagFilters);
        boolean instanceFound = false;
        Map<String, TopicView> topicsByName = new LinkedHashMap<>();
        // Plain JDBC on the pooled connection, no ORM session: this read runs for every console refresh.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(LIST_TOPICS)) {
            String exactName = topicName == null || topicName.isEmpty() ? null : topicName;
            query.setString(1, exactName);
            query.setString(2, exactName);
            query.setString(3, instanceId);
            query.setString(4, accountId);
            query.setString(5, regionId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    instanceFound = true;
                    String name = rows.getString(1);
                    if (name == null) {
                        continue;
                    }
                    TopicView view = topicsByName.get(name);
                    if (view == null) {
                        view = new TopicView(name, instanceId, rows.getInt(2), rows.getString(3),
                                rows.getObject(4, OffsetDateTime.class).toInstant(), new ArrayList<>());
                        topicsByName.put(name, view);
                    }
                    String tagKey = rows.getString(5);
                    if (tagKey != null) {
                        view.tags().add(new TagDo(tagKey, rows.getString(6)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing the topics of " + instanceId + " failed", e);
        }
        if (!instanceFound) {
            throw OnsError.RESOURCE_OWNER_ERROR.exception(instanceId);
        }
        if (userId != null && !userId.isEmpty() && !userId.equals(accountId)) {
            return List.of();
        }
        return topicsByName.values().stream().filter(t -> carriesAll(t.tags(), filters)).toList();
    }

    /** Ownership, topics and tags in one round trip; the instance row alone (topic columns null) when empty. */
    private static final String LIST_TOPICS = """
            SELECT t.topic_name, t.message_type, t.remark, t.create_time, rt.tag_key, rt.tag_value
            FROM resource.instance i
            LEFT JOIN resource.topic t ON t.instance_id = i.instance_id
                 AND (CAST(? AS varchar) IS NULL OR t.topic_name = CAST(? AS varchar))
            LEFT JOIN resource.resource_tag rt ON rt.account_id = i.account_id AND rt.resource_type = 'TOPIC'
                 AND rt.instance_id = i.instance_id AND rt.resource_id = t.topic_name
            WHERE i.instance_id = ? AND i.account_id = ? AND i.region_id = ?
            ORDER BY t.create_time, t.topic_name, rt.tag_key""";

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

    /** A topic as OnsTopicList shows it. */
    public record TopicView(String topicName, String instanceId, int messageType, String remark,
            Instant createTime, List<TagDo> tags) {
    }
}
