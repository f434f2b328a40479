package io.openons.resource.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Product settings of resource-service ({@code ons.*} in application.properties, each overridable by env). */
@ConfigMapping(prefix = "ons")
public interface OnsConfig {

    /** The regions this installation serves; the first one is the default region. */
    List<Region> regions();

    InstanceLimits instance();

    Endpoints endpoints();

    KafkaTopics kafka();

    Outbox outbox();

    interface Region {
        String id();

        String name();
    }

    interface InstanceLimits {
        @WithDefault("8")
        int maxPerRegion();
    }

    /** Endpoints reported by OnsInstanceBaseInfo; they must reach this installation from the clients. */
    interface Endpoints {
        /** The gateway's HTTP endpoint (MQ HTTP protocol and OpenAPI). */
        String http();

        String httpInternal();

        Optional<String> https();

        /** Kafka bootstrap servers for Kafka-native clients (the TCP endpoint). */
        String kafka();

        Optional<String> kafkaInternet();
    }

    interface KafkaTopics {
        @WithDefault("4")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        @WithDefault("259200000")
        long retentionMs();
    }

    interface Outbox {
        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("200")
        int batchSize();
    }
}
