package io.openons.resource.outbox;

import io.openons.contracts.event.EventTopics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the resource-event topic at start when it is missing (brokers may forbid auto-creation):
 * one partition to keep changes in order, compacted so that it always holds every resource's latest state.
 */
@ApplicationScoped
public class EventTopicInitializer {

    private static final Logger LOG = Logger.getLogger(EventTopicInitializer.class);

    void onStart(@Observes StartupEvent start, Admin admin,
            @ConfigProperty(name = "ons.kafka.replication-factor", defaultValue = "1") short replicationFactor) {
        NewTopic topic = new NewTopic(EventTopics.RESOURCE_EVENTS, 1, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created event topic %s", EventTopics.RESOURCE_EVENTS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Event topic %s not created (the outbox keeps events until it exists): %s",
                        EventTopics.RESOURCE_EVENTS, e.getCause().getMessage());
            }
        } catch (Exception e) {
            LOG.warnf("Event topic %s not created (the outbox keeps events until it exists): %s",
                    EventTopics.RESOURCE_EVENTS, e.getMessage());
        }
    }
}
