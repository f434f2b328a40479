package io.openons.message.offset;

import io.openons.contracts.error.OnsError;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.jboss.logging.Logger;

/**
 * Kafka-native consumer groups ({@code group.id} = {@code {InstanceId}.{GroupId}}, like the Kafka topic
 * {@code {InstanceId}.{Topic}}, so that equal Group IDs of two instances or accounts never share a Kafka group;
 * docs/kafka-native-clients.md), read and reset through the Kafka Admin API: members with their client ids,
 * hosts and assignments; committed offsets; log start and end offsets
 * (docs/decisions/0503-kafka-native-groups.md).
 */
@ApplicationScoped
public class KafkaGroups {

    private static final Logger LOG = Logger.getLogger(KafkaGroups.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;

    KafkaGroups(Admin admin) {
        this.admin = admin;
    }

    /** One member of a group. */
    public record Member(String memberId, String clientId, String host, Set<TopicPartition> assignment) {
    }

    /** A group's state: its members, whether it is stable, and its committed offsets. */
    public record Group(String groupId, List<Member> members, boolean stable, String state,
            Map<TopicPartition, Long> committed) {

        public boolean online() {
            return !members.isEmpty();
        }

        /** Every Kafka topic the group has committed offsets in or is assigned partitions of. */
        public Set<String> kafkaTopics() {
            Set<String> out = new TreeSet<>();
            committed.keySet().forEach(tp -> out.add(tp.topic()));
            members.forEach(m -> m.assignment().forEach(tp -> out.add(tp.topic())));
            return out;
        }
    }

    /** The Kafka {@code group.id} of an ONS Group ID: scoped by its instance, like the Kafka topics. */
    public static String kafkaGroupId(String instanceId, String groupId) {
        return instanceId + "." + groupId;
    }

    /** Describes an instance's group (no members and no offsets when Kafka does not know it). */
    public Group describe(String instanceId, String onsGroupId) {
        String groupId = kafkaGroupId(instanceId, onsGroupId);
        List<Member> members = new ArrayList<>();
        boolean stable = false;
        String state = "UNKNOWN";
        try {
            ConsumerGroupDescription d = get(admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                    .get(groupId));
            for (MemberDescription m : d.members()) {
                members.add(new Member(m.consumerId(), m.clientId(), host(m.host()),
                        Set.copyOf(m.assignment().topicPartitions())));
            }
            GroupState s = d.groupState();
            state = s == null ? "UNKNOWN" : s.name();
            stable = s == GroupState.STABLE;
        } catch (GroupIdNotFoundException e) {
            // a group Kafka never saw: no members
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata());
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    committed.put(tp, om.offset());
                }
            });
        } catch (GroupIdNotFoundException e) {
            // no offsets
        }
        return new Group(onsGroupId, members, stable, state, committed);
    }

    /**
     * Describes those of an instance's Group IDs that Kafka knows as consumer groups (OnsTopicSubDetail and
     * OnsMessageTrace look for the ones reading a topic), keyed by Group ID.
     */
    public Map<String, ConsumerGroupDescription> describeKnown(String instanceId, Collection<String> onsGroupIds) {
        if (onsGroupIds.isEmpty()) {
            return Map.of();
        }
        Set<String> known = new HashSet<>();
        for (ConsumerGroupListing listing : get(admin.listConsumerGroups().all())) {
            known.add(listing.groupId());
        }
        Map<String, String> byKafkaId = new HashMap<>();
        for (String id : onsGroupIds) {
            String kafkaId = kafkaGroupId(instanceId, id);
            if (known.contains(kafkaId)) {
                byKafkaId.put(kafkaId, id);
            }
        }
        if (byKafkaId.isEmpty()) {
            return Map.of();
        }
        Map<String, ConsumerGroupDescription> out = new TreeMap<>();
        get(admin.describeConsumerGroups(byKafkaId.keySet()).all()).forEach((k, d) -> out.put(byKafkaId.get(k), d));
        return out;
    }

    /** Log end offsets of the partitions. */
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.latest());
    }

    /** Log start offsets of the partitions. */
    public Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.earliest());
    }

    /** Per partition, the first offset whose timestamp is at or after {@code timestamp}, or -1 when none is. */
    public Map<TopicPartition, Long> offsetsForTime(Collection<TopicPartition> partitions, long timestamp) {
        return offsets(partitions, OffsetSpec.forTimestamp(timestamp));
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer = get(admin.listOffsets(request).all());
        Map<TopicPartition, Long> out = new HashMap<>();
        answer.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * Moves an inactive group's committed offsets. Kafka itself refuses while the group has members (they own
     * their positions); the caller checks first so that the answer can say so clearly.
     */
    public void alterOffsets(String instanceId, String onsGroupId, Map<TopicPartition, Long> offsets) {
        String groupId = kafkaGroupId(instanceId, onsGroupId);
        Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
        offsets.forEach((tp, o) -> request.put(tp, new OffsetAndMetadata(o)));
        try {
            admin.alterConsumerGroupOffsets(groupId, request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownMemberIdException
                    || cause instanceof org.apache.kafka.common.errors.GroupNotEmptyException
                    || cause instanceof org.apache.kafka.common.errors.RebalanceInProgressException) {
                throw activeMembers(instanceId, onsGroupId);
            }
            LOG.warnf("Resetting the offsets of Kafka group %s failed: %s", groupId, cause == null ? e : cause);
            throw OnsError.SERVICE_UNAVAILABLE.exception("Kafka (consumer group offsets)");
        } catch (TimeoutException e) {
            throw OnsError.SERVICE_UNAVAILABLE.exception("Kafka (consumer group offsets, timed out)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OnsError.SERVICE_UNAVAILABLE.exception("Kafka (interrupted)");
        }
    }

    /** The documented answer when a Kafka-native group's offsets cannot be reset because it is consuming. */
    public static RuntimeException activeMembers(String instanceId, String groupId) {
        return OnsError.CONSUMER_ONLINE.exception("The Group ID \"" + groupId + "\" is consumed by running Kafka "
                + "consumers (group.id " + kafkaGroupId(instanceId, groupId) + "), which own their offsets: a reset would be overwritten by their next commit. Stop the "
                + "group's Kafka consumers, reset, then start them again (docs/kafka-native-clients.md).");
    }

    private static String host(String host) {
        return host != null && host.startsWith("/") ? host.substring(1) : host;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof GroupIdNotFoundException g) {
                throw g;
            }
            LOG.warnf("Kafka admin call failed: %s", cause == null ? e.getMessage() : cause.getMessage());
            throw OnsError.SERVICE_UNAVAILABLE.exception("Kafka (consumer group metadata)");
        } catch (TimeoutException e) {
            throw OnsError.SERVICE_UNAVAILABLE.exception("Kafka (consumer group metadata, timed out)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OnsError.SERVICE_UNAVAILABLE.exception("Kafka (interrupted)");
        }
    }
}
