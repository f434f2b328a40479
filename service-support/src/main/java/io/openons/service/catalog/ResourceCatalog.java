package io.openons.service.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.ResourceEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A read-only replica of resource metadata (instances, topics, Group IDs) owned by resource-service, kept
 * from the compacted resource-event topic: at start it reads the topic from the beginning, then follows it.
 * Services resolve and authorise the resources a request names here, never in resource-service's tables.
 *
 * <p>Enabled with {@code ons.resource-catalog.enabled=true}. A lookup that misses first catches up with the
 * events published so far (resource-service publishes a change before its Action returns), so a topic created
 * a moment ago is found. Changes are also fired as CDI events ({@link ResourceEvent}) for services that react
 * to them (e.g. removing a deleted topic's subscriptions).
 */
@ApplicationScoped
public class ResourceCatalog {

    private static final Logger LOG = Logger.getLogger(ResourceCatalog.class);

    private final Map<String, Entry<ResourceEvent.InstanceRecord>> instances = new ConcurrentHashMap<>();
    private final Map<String, Entry<ResourceEvent.TopicRecord>> topics = new ConcurrentHashMap<>();
    private final Map<String, Entry<ResourceEvent.GroupRecord>> groups = new ConcurrentHashMap<>();
    private final AtomicLong position = new AtomicLong(-1);
    private final Object progress = new Object();

    private final boolean enabled;
    private final short replicationFactor;
    private final Map<String, Object> kafkaConfig;
    private final ObjectMapper json;
    private final Event<ResourceEvent> changes;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean caughtUpOnce;
    private volatile boolean running;
    private Thread follower;

    ResourceCatalog(@ConfigProperty(name = "ons.resource-catalog.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "ons.kafka.replication-factor", defaultValue = "1") short replicationFactor,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ObjectMapper json,
            Event<ResourceEvent> changes) {
        this.enabled = enabled;
        this.replicationFactor = replicationFactor;
        this.kafkaConfig = kafkaConfig;
        this.json = json;
        this.changes = changes;
    }

    /** A resource with the account that owns it. */
    public record Entry<T>(String accountId, T resource) {
    }

    void start(@Observes StartupEvent start) {
        if (!enabled) {
            return;
        }
        running = true;
        follower = new Thread(this::follow, "resource-catalog");
        follower.setDaemon(true);
        follower.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Whether the replica has read every event that existed when the service started (readiness). */
    public boolean caughtUp() {
        return !enabled || caughtUpOnce;
    }

    // ---- lookups ----

    public Optional<Entry<ResourceEvent.InstanceRecord>> instance(String instanceId) {
        return lookup(() -> instanceId == null ? null : instances.get(instanceId));
    }

    public Optional<Entry<ResourceEvent.TopicRecord>> topic(String instanceId, String topic) {
        return lookup(() -> topics.get(topicKey(instanceId, topic)));
    }

    public Optional<Entry<ResourceEvent.GroupRecord>> group(String instanceId, String groupId) {
        return lookup(() -> groups.get(groupKey(instanceId, groupId)));
    }

    /** The topics of an instance, in creation order. */
    public List<ResourceEvent.TopicRecord> topicsOf(String instanceId) {
        List<ResourceEvent.TopicRecord> result = new ArrayList<>();
        topics.values().forEach(e -> {
            if (e.resource().instanceId().equals(instanceId)) {
                result.add(e.resource());
            }
        });
        result.sort(Comparator.comparingLong(ResourceEvent.TopicRecord::createTime)
                .thenComparing(ResourceEvent.TopicRecord::topic));
        return result;
    }

    /** The Group IDs of an instance, in creation order. */
    public List<ResourceEvent.GroupRecord> groupsOf(String instanceId) {
        List<ResourceEvent.GroupRecord> result = new ArrayList<>();
        groups.values().forEach(e -> {
            if (e.resource().instanceId().equals(instanceId)) {
                result.add(e.resource());
            }
        });
        result.sort(Comparator.comparingLong(ResourceEvent.GroupRecord::createTime)
                .thenComparing(ResourceEvent.GroupRecord::groupId));
        return result;
    }

    /** The instance with this Kafka topic's topic, for Kafka-native records (Kafka topic = instance.topic). */
    public Optional<Entry<ResourceEvent.TopicRecord>> topicByKafkaTopic(String kafkaTopic) {
        return lookup(() -> {
            for (Entry<ResourceEvent.TopicRecord> e : topics.values()) {
                if (e.resource().kafkaTopic().equals(kafkaTopic)) {
                    return e;
                }
            }
            return null;
        });
    }

    // ---- authorisation helpers: another account's resource answers exactly like a missing one ----

    /**
     * The caller's instance, for Actions on topics, groups and messages: {@code AUTH_RESOURCE_OWNER_ERROR}
     * when it is missing, another account's, or (when {@code regionId} is given) in another region.
     */
    public ResourceEvent.InstanceRecord requireInstance(String accountId, String regionId, String instanceId) {
        Optional<Entry<ResourceEvent.InstanceRecord>> found = instance(instanceId);
        if (found.isEmpty() || !found.get().accountId().equals(accountId)
                || (regionId != null && !regionId.equals(found.get().resource().regionId()))) {
            throw OnsError.RESOURCE_OWNER_ERROR.exception(instanceId);
        }
        return found.get().resource();
    }

    /** A topic of the caller's instance, or {@code BIZ_TOPIC_NOT_FOUND}. */
    public ResourceEvent.TopicRecord requireTopic(String accountId, String regionId, String instanceId,
            String topic) {
        requireInstance(accountId, regionId, instanceId);
        return topic(instanceId, topic).map(Entry::resource)
                .orElseThrow(() -> OnsError.TOPIC_NOT_FOUND.exception(topic, instanceId));
    }

    /** A Group ID of the caller's instance, or {@code BIZ_SUBSCRIPTION_NOT_FOUND}. */
    public ResourceEvent.GroupRecord requireGroup(String accountId, String regionId, String instanceId,
            String groupId) {
        requireInstance(accountId, regionId, instanceId);
        return group(instanceId, groupId).map(Entry::resource)
                .orElseThrow(() -> OnsError.SUBSCRIPTION_NOT_FOUND.exception(groupId, instanceId));
    }

    // ---- replica maintenance ----

    private <T> Optional<T> lookup(java.util.function.Supplier<T> read) {
        if (!enabled) {
            throw new IllegalStateException("the resource catalog is disabled: set ons.resource-catalog.enabled=true");
        }
        T found = read.get();
        if (found == null && catchUp(Duration.ofSeconds(2))) {
            found = read.get();
        }
        return Optional.ofNullable(found);
    }

    /** Waits until the replica has read every event published so far; false when it could not in time. */
    boolean catchUp(Duration timeout) {
        long target;
        try (KafkaConsumer<String, String> probe = newConsumer("resource-catalog-probe")) {
            TopicPartition tp = new TopicPartition(EventTopics.RESOURCE_EVENTS, 0);
            target = probe.endOffsets(List.of(tp), timeout).getOrDefault(tp, 0L);
        } catch (RuntimeException e) {
            LOG.debugf("Resource catalog cannot read the end offset: %s", e.getMessage());
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (position.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void follow() {
        while (running) {
            try (KafkaConsumer<String, String> c = newConsumer("resource-catalog")) {
                consumer = c;
                List<PartitionInfo> partitions = c.partitionsFor(EventTopics.RESOURCE_EVENTS, Duration.ofSeconds(10));
                if (partitions == null || partitions.isEmpty()) {
                    createEventTopic();
                    sleep(200);
                    continue;
                }
                TopicPartition tp = new TopicPartition(EventTopics.RESOURCE_EVENTS, 0);
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                long initialEnd = c.endOffsets(List.of(tp)).getOrDefault(tp, 0L);
                if (initialEnd == 0) {
                    markCaughtUp(0);
                }
                while (running) {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                        apply(record.value());
                    }
                    long pos = c.position(tp);
                    if (!caughtUpOnce && pos >= initialEnd) {
                        markCaughtUp(pos);
                    }
                    synchronized (progress) {
                        position.set(pos);
                        progress.notifyAll();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Resource catalog lost Kafka, retrying: %s", e.getMessage());
                sleep(1000);
            }
        }
    }

    private void markCaughtUp(long pos) {
        caughtUpOnce = true;
        LOG.infof("Resource catalog caught up: %d instance(s), %d topic(s), %d group(s)", instances.size(),
                topics.size(), groups.size());
    }

    private void apply(String value) {
        ResourceEvent event;
        try {
            event = json.readValue(value, ResourceEvent.class);
        } catch (Exception e) {
            LOG.warnf("Skipping an unreadable resource event: %s", e.getMessage());
            return;
        }
        if (event.schemaVersion() != ResourceEvent.SCHEMA_VERSION || event.type() == null) {
            return;
        }
        switch (event.type()) {
            case INSTANCE_CREATED, INSTANCE_UPDATED -> instances.put(event.instance().instanceId(),
                    new Entry<>(event.accountId(), event.instance()));
            case INSTANCE_DELETED -> instances.remove(event.instance().instanceId());
            case TOPIC_CREATED, TOPIC_UPDATED -> topics.put(topicKey(event.topic().instanceId(), event.topic().topic()),
                    new Entry<>(event.accountId(), event.topic()));
            case TOPIC_DELETED -> topics.remove(topicKey(event.topic().instanceId(), event.topic().topic()));
            case GROUP_CREATED, GROUP_UPDATED -> groups.put(groupKey(event.group().instanceId(),
                    event.group().groupId()), new Entry<>(event.accountId(), event.group()));
            case GROUP_DELETED -> groups.remove(groupKey(event.group().instanceId(), event.group().groupId()));
            default -> {
                return;
            }
        }
        if (caughtUpOnce) {
            try {
                changes.fire(event);
            } catch (RuntimeException e) {
                LOG.warnf(e, "A resource-change observer failed for %s", event.type());
            }
        }
    }

    /**
     * Creates the resource-event topic when it does not exist yet (the same definition resource-service uses),
     * so that a service started before resource-service is ready as soon as Kafka is.
     */
    private void createEventTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafkaConfig.get("bootstrap.servers")))) {
            admin.createTopics(List.of(new NewTopic(EventTopics.RESOURCE_EVENTS, 1, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(10, TimeUnit.SECONDS);
            LOG.infof("Created the resource event topic %s", EventTopics.RESOURCE_EVENTS);
        } catch (Exception e) {
            LOG.debugf("Resource event topic not created here: %s", e.getMessage());
        }
    }

    private KafkaConsumer<String, String> newConsumer(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config);
    }

    private static String topicKey(String instanceId, String topic) {
        return instanceId + "/" + topic;
    }

    private static String groupKey(String instanceId, String groupId) {
        return instanceId + "/" + groupId;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
