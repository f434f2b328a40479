package io.openons.message.consumer;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEvent;
import io.openons.message.model.TagExpression;
import io.openons.message.offset.ConsumeProgress;
import io.openons.message.offset.KafkaGroups;
import io.openons.message.stats.StatsClient;
import io.openons.service.catalog.ResourceCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer-management Actions, from live data: an HTTP group (GroupType http) from its consume state and the
 * consumer registry; a TCP group from the Kafka consumer group of that id (Kafka-native clients,
 * docs/decisions/0503-kafka-native-groups.md). ConsumeTps always comes from stats-service.
 */
@ApplicationScoped
public class ConsumerService {

    public static final String CLUSTERING = "CLUSTERING";

    private final ResourceCatalog catalog;
    private final ConsumerRegistry registry;
    private final ConsumeProgress progress;
    private final KafkaGroups kafka;
    private final StatsClient stats;
    private final ClientStats clientStats;

    ConsumerService(ResourceCatalog catalog, ConsumerRegistry registry, ConsumeProgress progress, KafkaGroups kafka,
            StatsClient stats, ClientStats clientStats) {
        this.catalog = catalog;
        this.registry = registry;
        this.progress = progress;
        this.kafka = kafka;
        this.stats = stats;
        this.clientStats = clientStats;
    }

    public static boolean isHttp(ResourceEvent.GroupRecord group) {
        return "http".equals(group.groupType());
    }

    // ---- backlog ----

    /** One topic's backlog for a group. Times are epoch ms; null when there is none to tell. */
    public record TopicBacklog(String topic, long totalDiff, long delayTime, Long lastTimestamp) {
    }

    /** A group's backlog over its topics. */
    public record Backlog(long totalDiff, long delayTime, Long lastTimestamp, boolean online, Double consumeTps,
            List<TopicBacklog> topics) {
    }

    /** OnsConsumerAccumulate (and the backlog part of OnsConsumerStatus). */
    public Backlog backlog(String accountId, ResourceEvent.GroupRecord group) {
        long now = System.currentTimeMillis();
        Map<String, String> topicNames = topicNames(group.instanceId());
        List<TopicBacklog> topics = new ArrayList<>();
        boolean online;
        if (isHttp(group)) {
            for (ConsumeProgress.TopicProgress p : progress.progress(group.instanceId(), group.groupId()).values()) {
                String name = topicNames.get(p.kafkaTopic());
                if (name != null) {
                    topics.add(new TopicBacklog(name, p.totalDiff(),
                            p.totalDiff() == 0 || p.oldestPending() == null ? 0 : Math.max(0, now - p.oldestPending()),
                            p.lastConsumed()));
                }
            }
            online = !registry.online(group.instanceId(), group.groupId()).isEmpty();
        } else {
            KafkaGroups.Group g = kafka.describe(group.instanceId(), group.groupId());
            for (String kafkaTopic : g.kafkaTopics()) {
                String name = topicNames.get(kafkaTopic);
                if (name != null) {
                    topics.add(kafkaBacklog(g, name, kafkaTopic, now));
                }
            }
            online = g.online();
        }
        topics.sort((a, b) -> a.topic().compareTo(b.topic()));
        long total = 0;
        long delay = 0;
        Long last = null;
        for (TopicBacklog t : topics) {
            total += t.totalDiff();
            delay = Math.max(delay, t.delayTime());
            if (t.lastTimestamp() != null) {
                last = last == null ? t.lastTimestamp() : Math.max(last, t.lastTimestamp());
            }
        }
        StatsClient.ConsumeTps tps = stats.consumeTps(accountId, group.instanceId(), group.groupId());
        return new Backlog(total, delay, last, online, tps == null ? null : tps.total(), topics);
    }

    private TopicBacklog kafkaBacklog(KafkaGroups.Group g, String topic, String kafkaTopic, long now) {
        int partitions = catalog.topic(catalogInstance(kafkaTopic), topic).map(e -> e.resource().partitions())
                .orElse(0);
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(kafkaTopic, p));
        }
        Map<TopicPartition, Long> end = kafka.endOffsets(tps);
        Map<TopicPartition, Long> start = kafka.startOffsets(tps);
        long diff = 0;
        Map<Integer, Long> positions = new HashMap<>();
        Map<Integer, Long> pending = new HashMap<>();
        for (TopicPartition tp : tps) {
            // A partition without a committed offset has not been consumed by the group: all of it is backlog.
            long position = Math.max(g.committed().getOrDefault(tp, 0L), start.getOrDefault(tp, 0L));
            long lag = Math.max(0, end.getOrDefault(tp, 0L) - position);
            diff += lag;
            if (g.committed().containsKey(tp)) {
                positions.put(tp.partition(), g.committed().get(tp));
            }
            if (lag > 0) {
                pending.put(tp.partition(), position);
            }
        }
        Long oldest = progress.firstStoredFrom(kafkaTopic, pending);
        Long last = progress.lastStoredBefore(kafkaTopic, positions);
        return new TopicBacklog(topic, diff, diff == 0 || oldest == null ? 0 : Math.max(0, now - oldest), last);
    }

    // ---- connections ----

    /** One consuming client. Fields the protocol does not carry are null. */
    public record Connection(String clientId, String clientAddr, String remoteIp, String language, String version,
            Long startTimestamp, Long lastTimestamp, String consumeType, List<ConsumerRegistry.Subscription> subs) {
    }

    /** OnsConsumerGetConnection: the group's online clients. */
    public List<Connection> connections(ResourceEvent.GroupRecord group) {
        List<Connection> out = new ArrayList<>();
        if (isHttp(group)) {
            for (ConsumerRegistry.Client c : registry.online(group.instanceId(), group.groupId())) {
                out.add(new Connection(c.clientId(), c.clientAddr(), c.remoteIp(), c.language(), c.version(),
                        c.firstSeen(), c.lastSeen(), "PULL", c.subscriptions()));
            }
        } else {
            Map<String, String> topicNames = topicNames(group.instanceId());
            for (KafkaGroups.Member m : kafka.describe(group.instanceId(), group.groupId()).members()) {
                Set<String> topics = new TreeSet<>();
                m.assignment().forEach(tp -> {
                    String name = topicNames.get(tp.topic());
                    if (name != null) {
                        topics.add(name);
                    }
                });
                List<ConsumerRegistry.Subscription> subs = new ArrayList<>();
                // Kafka consumers filter nothing on the server: every message of the topic is theirs.
                topics.forEach(t -> subs.add(new ConsumerRegistry.Subscription(t, null, "*", 0)));
                out.add(new Connection(m.memberId(), m.host(), m.host(), null, null, null, null, "PULL", subs));
            }
        }
        return out;
    }

    // ---- status ----

    /** One client's running data in one topic. */
    public record RunningData(String topic, double okTps, double failedTps, double rt, long failedCountPerHour) {
    }

    /** OnsConsumerStatus. */
    public record Status(Backlog backlog, Boolean subscriptionSame, boolean rebalanceOk, List<Connection> clients,
            Map<String, List<RunningData>> running) {
    }

    public Status status(String accountId, ResourceEvent.GroupRecord group, boolean detail) {
        Backlog backlog = backlog(accountId, group);
        List<Connection> clients = connections(group);
        Map<String, List<RunningData>> running = new LinkedHashMap<>();
        if (isHttp(group)) {
            Set<Set<String>> distinct = new HashSet<>();
            for (Connection c : clients) {
                Set<String> subs = new TreeSet<>();
                c.subs().forEach(s -> subs.add(s.topic() + "\u0000" + s.subString()));
                distinct.add(subs);
                if (detail) {
                    List<RunningData> data = new ArrayList<>();
                    for (ClientStats.Running r : clientStats.running(group.instanceId(), group.groupId(),
                            c.clientId(), c.subs().stream().map(ConsumerRegistry.Subscription::topic).toList())) {
                        data.add(new RunningData(r.topic(), r.okTps(), r.failedTps(), r.rtMillis(),
                                r.failedCountPerHour()));
                    }
                    running.put(c.clientId(), data);
                }
            }
            boolean same = distinct.size() <= 1;
            // Pull clients share the group's partitions through the server's row locks: the load is balanced
            // whenever the online clients agree on what they subscribe to.
            return new Status(backlog, same, backlog.online() && same, clients, running);
        }
        KafkaGroups.Group g = kafka.describe(group.instanceId(), group.groupId());
        // Kafka's Admin API shows assignments, not subscriptions: whether they agree is not known here.
        return new Status(backlog, null, g.online() && g.stable(), clients, running);
    }

    // ---- time span and reset ----

    /** OnsConsumerTimeSpan. */
    public record TimeSpan(Long minTimestamp, Long maxTimestamp, Long consumeTimestamp) {
    }

    public TimeSpan timeSpan(ResourceEvent.GroupRecord group, ResourceEvent.TopicRecord topic) {
        long[] range = progress.storedRange(topic.kafkaTopic());
        Long consumed = null;
        if (isHttp(group)) {
            ConsumeProgress.TopicProgress p = progress.progress(group.instanceId(), group.groupId())
                    .get(topic.kafkaTopic());
            consumed = p == null ? null : p.lastConsumed();
        } else {
            KafkaGroups.Group g = kafka.describe(group.instanceId(), group.groupId());
            Map<Integer, Long> positions = new HashMap<>();
            g.committed().forEach((tp, o) -> {
                if (tp.topic().equals(topic.kafkaTopic())) {
                    positions.put(tp.partition(), o);
                }
            });
            consumed = progress.lastStoredBefore(topic.kafkaTopic(), positions);
        }
        return new TimeSpan(range == null ? null : range[0], range == null ? null : range[1], consumed);
    }

    /**
     * OnsConsumerResetOffset. Type 0 skips everything accumulated; Type 1 moves to the first message stored at or
     * after the timestamp, which must lie within the topic's stored messages.
     */
    public void reset(ResourceEvent.GroupRecord group, ResourceEvent.TopicRecord topic, int type, Long timestamp) {
        if (type != 0 && type != 1) {
            throw OnsError.FIELD_CHECK_INVALID.exception("Type is " + type + "; use 0 (skip every accumulated "
                    + "message) or 1 (reset to ResetTimestamp).");
        }
        Long at = null;
        if (type == 1) {
            if (timestamp == null) {
                throw OnsError.MISSING_PARAMETER.exception("ResetTimestamp");
            }
            ConsumeProgress.checkResetTime(topic.topic(), timestamp, progress.storedRange(topic.kafkaTopic()));
            at = timestamp;
        }
        if (isHttp(group)) {
            progress.reset(group, topic, at);
            return;
        }
        KafkaGroups.Group g = kafka.describe(group.instanceId(), group.groupId());
        if (g.online()) {
            throw KafkaGroups.activeMembers(group.instanceId(), group.groupId());
        }
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            tps.add(new TopicPartition(topic.kafkaTopic(), p));
        }
        Map<TopicPartition, Long> end = kafka.endOffsets(tps);
        Map<TopicPartition, Long> target = new HashMap<>(end);
        if (at != null) {
            kafka.offsetsForTime(tps, at).forEach((tp, o) -> {
                if (o != null && o >= 0) {
                    target.put(tp, o);
                }
            });
        }
        kafka.alterOffsets(group.instanceId(), group.groupId(), target);
    }

    // ---- subscriptions ----

    /** One online subscription: a group and its expression in a topic. */
    public record Subscribed(String groupId, String topic, String subString) {
    }

    /** OnsTopicSubDetail: the groups online on a topic, once per distinct expression. */
    public List<Subscribed> topicSubscriptions(ResourceEvent.TopicRecord topic) {
        Set<Subscribed> out = new LinkedHashSet<>();
        for (ConsumerRegistry.TopicSubscriber s : registry.onlineSubscribers(topic.instanceId(), topic.topic())) {
            out.add(new Subscribed(s.groupId(), topic.topic(), s.subString()));
        }
        Set<String> tcpGroups = new TreeSet<>();
        for (ResourceEvent.GroupRecord g : catalog.groupsOf(topic.instanceId())) {
            if (!isHttp(g)) {
                tcpGroups.add(g.groupId());
            }
        }
        if (!tcpGroups.isEmpty()) {
            kafka.describeKnown(topic.instanceId(), tcpGroups).forEach((id, d) -> {
                boolean reads = d.members().stream().anyMatch(m -> m.assignment().topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().equals(topic.kafkaTopic())));
                if (reads) {
                    out.add(new Subscribed(id, topic.topic(), "*"));
                }
            });
        }
        return new ArrayList<>(out);
    }

    /** OnsGroupSubDetail: whether the group is online and its online subscriptions (none when offline). */
    public record GroupSubscriptions(boolean online, List<Subscribed> subscriptions) {
    }

    public GroupSubscriptions groupSubscriptions(ResourceEvent.GroupRecord group) {
        List<Connection> clients = connections(group);
        Set<Subscribed> subs = new LinkedHashSet<>();
        Map<String, Set<String>> byTopic = new TreeMap<>();
        for (Connection c : clients) {
            for (ConsumerRegistry.Subscription s : c.subs()) {
                byTopic.computeIfAbsent(s.topic(), k -> new TreeSet<>()).add(s.subString());
            }
        }
        byTopic.forEach((topic, exprs) -> exprs.forEach(e -> subs.add(new Subscribed(group.groupId(), topic, e))));
        return new GroupSubscriptions(!clients.isEmpty(), new ArrayList<>(subs));
    }

    // ---- helpers ----

    /** Whether a client of the group with this id is online now. */
    public Connection onlineClient(ResourceEvent.GroupRecord group, String clientId) {
        for (Connection c : connections(group)) {
            if (c.clientId().equals(clientId)) {
                return c;
            }
        }
        return null;
    }

    /** Kafka topic → ONS topic name, for an instance's topics. */
    public Map<String, String> topicNames(String instanceId) {
        Map<String, String> out = new HashMap<>();
        for (ResourceEvent.TopicRecord t : catalog.topicsOf(instanceId)) {
            out.put(t.kafkaTopic(), t.topic());
        }
        return out;
    }

    /** Whether a tag matches an expression (an unreadable expression matches nothing). */
    public static boolean matches(String expression, String tag) {
        try {
            return TagExpression.parse(expression).matches(tag);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String catalogInstance(String kafkaTopic) {
        int dot = kafkaTopic.indexOf('.');
        return dot > 0 ? kafkaTopic.substring(0, dot) : kafkaTopic;
    }
}
