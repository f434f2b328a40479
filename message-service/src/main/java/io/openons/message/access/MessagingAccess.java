package io.openons.message.access;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEvent;
import io.openons.service.catalog.ResourceCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves and authorises the resources a data-plane request names, from the resource catalog, with the MQ
 * HTTP protocol's answers: an unknown instance or topic, or another account's, is {@code TopicNotExist}
 * (indistinguishable from a missing one); an unknown group is {@code SubscriptionNotExist}; permissions are
 * {@code AccessDenied} with the reason.
 */
@ApplicationScoped
public class MessagingAccess {

    /** Topic Perm: publishing forbidden (OnsTopicUpdate Perm=4, "write forbidden"). */
    static final int PERM_READ_ONLY = 4;
    /** Topic Perm: subscribing forbidden (OnsTopicUpdate Perm=2, "read forbidden"). */
    static final int PERM_WRITE_ONLY = 2;

    private final ResourceCatalog catalog;
    /**
     * Topics already resolved for publishing, so the publish path can run on the event loop: a catalog lookup may
     * block (a miss waits for the resource events to catch up). Cleared on every topic or instance change.
     */
    private final Map<String, TopicAccess> publishable = new ConcurrentHashMap<>();

    MessagingAccess(ResourceCatalog catalog) {
        this.catalog = catalog;
    }

    /** A topic the caller may publish to, if it was resolved before and nothing changed since; else null. */
    public TopicAccess cachedPublishable(String accountId, String instanceId, String topic) {
        return publishable.get(accountId + "/" + instanceId + "/" + topic);
    }

    void onResourceChange(@Observes ResourceEvent event) {
        if (event.topic() != null || event.instance() != null) {
            publishable.clear();
        }
    }

    /** A topic with the account that owns it. */
    public record TopicAccess(String accountId, ResourceEvent.TopicRecord topic) {
        public String instanceId() {
            return topic.instanceId();
        }

        public String kafkaTopic() {
            return topic.kafkaTopic();
        }
    }

    /** The caller's topic, for any data-plane operation. */
    public TopicAccess topic(String accountId, String instanceId, String topic) {
        if (instanceId == null || instanceId.isEmpty()) {
            // Every instance of this installation has its own namespace: the protocol then requires ns.
            throw OnsError.MQ_INVALID_ARGUMENT.exception("The instance is missing: every instance here has a "
                    + "namespace, so pass its id as ns (the SDK's instanceId argument, e.g. MQ_INST_...).");
        }
        if (topic == null || topic.isEmpty()) {
            throw OnsError.MQ_INVALID_REQUEST_URL.exception("(empty topic)");
        }
        Optional<ResourceCatalog.Entry<ResourceEvent.InstanceRecord>> instance = catalog.instance(instanceId);
        if (instance.isEmpty() || !instance.get().accountId().equals(accountId)) {
            throw OnsError.MQ_TOPIC_NOT_EXIST.exception(topic, " (no instance " + instanceId + " of yours)");
        }
        ResourceEvent.TopicRecord found = catalog.topic(instanceId, topic).map(ResourceCatalog.Entry::resource)
                .orElseThrow(() -> OnsError.MQ_TOPIC_NOT_EXIST.exception(topic, " in instance " + instanceId));
        return new TopicAccess(accountId, found);
    }

    /** A topic the caller may publish to (remembered for {@link #cachedPublishable}). */
    public TopicAccess publishable(String accountId, String instanceId, String topic) {
        TopicAccess access = topic(accountId, instanceId, topic);
        if (access.topic().perm() == PERM_READ_ONLY) {
            throw OnsError.MQ_ACCESS_DENIED.exception("The topic \"" + topic + "\" is read-only (Perm 4): "
                    + "publishing is forbidden. Allow it with OnsTopicUpdate Perm=6.");
        }
        if (publishable.size() > 100_000) {
            publishable.clear();
        }
        publishable.put(accountId + "/" + instanceId + "/" + topic, access);
        return access;
    }

    /** A topic the caller may consume from. */
    public TopicAccess consumable(String accountId, String instanceId, String topic) {
        TopicAccess access = topic(accountId, instanceId, topic);
        if (access.topic().perm() == PERM_WRITE_ONLY) {
            throw OnsError.MQ_ACCESS_DENIED.exception("The topic \"" + topic + "\" is write-only (Perm 2): "
                    + "subscribing is forbidden. Allow it with OnsTopicUpdate Perm=6.");
        }
        return access;
    }

    /**
     * A Group ID of the topic's instance usable by an HTTP client: it must exist and be of GroupType http
     * (TCP and HTTP Group IDs cannot be shared, docs/decisions/0101-http-groups-only.md).
     *
     * @param reading whether the client reads messages (consume, ack): then the group's read switch must be on
     */
    public ResourceEvent.GroupRecord httpGroup(TopicAccess topic, String groupId, boolean reading) {
        if (groupId == null || groupId.isEmpty()) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("The parameter consumer (the Group ID) is missing.");
        }
        ResourceEvent.GroupRecord group = catalog.group(topic.instanceId(), groupId)
                .map(ResourceCatalog.Entry::resource)
                .orElseThrow(() -> OnsError.MQ_SUBSCRIPTION_NOT_EXIST.exception("The Group ID \"" + groupId
                        + "\" does not exist in instance " + topic.instanceId() + "."));
        if (!"http".equals(group.groupType())) {
            throw OnsError.MQ_SUBSCRIPTION_NOT_EXIST.exception("The Group ID \"" + groupId + "\" is a "
                    + group.groupType() + " group; HTTP clients need a Group ID created with GroupType=http.");
        }
        if (reading && !group.readEnable()) {
            throw OnsError.MQ_ACCESS_DENIED.exception("The Group ID \"" + groupId + "\" may not read messages "
                    + "(ReadEnable=false). Enable it with OnsGroupConsumerUpdate ReadEnable=true.");
        }
        return group;
    }

    /** A Group ID of the caller's instance (catalogue errors, for the internal settings API). */
    public ResourceEvent.GroupRecord groupOf(String accountId, String instanceId, String groupId) {
        return catalog.requireGroup(accountId, null, instanceId, groupId);
    }
}
