package io.openons.stats.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of stats-service ({@code ons.stats.*} in application.properties, each overridable by env). */
@ConfigMapping(prefix = "ons.stats")
public interface StatsConfig {

    /** How long counts are kept; older periods are deleted (default: the message retention, 3 days). */
    @WithDefault("P3D")
    Duration retention();

    /**
     * How long 1-minute counts are kept before they are rolled up into 10-minute counts. Period 1 and 5 are
     * answered only inside this window; Period 10 over the whole retention.
     */
    @WithDefault("PT25H")
    Duration minuteResolution();

    /** The most periods (points) one trend query may cover. */
    @WithDefault("1441")
    int maxPoints();

    /**
     * How far apart in the event stream (event time, per partition) two copies of one event may be and still be
     * recognised as duplicates. Kafka redelivery cannot produce duplicates here (offsets are stored with the
     * counts); this window covers a producer that publishes an event twice.
     */
    @WithDefault("PT30M")
    Duration dedupeWindow();

    /** How often rollup, retention and dedupe clean-up run. */
    @WithDefault("60s")
    Duration maintenanceInterval();

    Ingest ingest();

    /** The Kafka side of the aggregation. */
    interface Ingest {
        /** The consumer group the replicas share (partitions are spread over them). */
        @WithDefault("stats-service")
        String consumerGroup();

        @WithDefault("5000")
        int maxPollRecords();

        @WithDefault("200ms")
        Duration pollTimeout();

        /** Partitions of the lifecycle topic when this service creates it. */
        @WithDefault("4")
        int topicPartitions();

        /** Retention of the lifecycle topic when this service creates it (the message retention). */
        @WithDefault("259200000")
        long topicRetentionMs();
    }
}
