package io.openons.trace.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Product settings of trace-service ({@code ons.trace.*} in application.properties, each overridable by env). */
@ConfigMapping(prefix = "ons.trace")
public interface TraceConfig {

    /**
     * How long a trace record is kept after it happened (a delayed message's publish record: after its delivery
     * time); the message retention, 3 days by default. Query jobs are kept as long.
     */
    @WithDefault("3d")
    Duration retention();

    LifecycleTopic lifecycleTopic();

    Ingest ingest();

    Job job();

    Purge purge();

    /** The definition of {@code ons.message-lifecycle.v1}, created at start when missing. */
    interface LifecycleTopic {
        @WithDefault("4")
        int partitions();

        @WithDefault("1")
        short replicationFactor();
    }

    interface Ingest {
        /** The Kafka consumer group shared by every replica (the replicas split the partitions). */
        @WithDefault("trace-service")
        String consumerGroup();

        /** The most events stored in one database transaction (one Kafka poll). */
        @WithDefault("5000")
        int maxBatch();
    }

    interface Job {
        /** Threads of this replica that run query jobs. */
        @WithDefault("4")
        int workers();

        /** How long a claim on a job lasts; a job whose claim expired is run again by any replica. */
        @WithDefault("60s")
        Duration lease();

        /** How often each replica looks for jobs that nobody holds (created elsewhere, or orphaned). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How long a finished job's result stays readable; after that OnsTraceGetResult answers removed. */
        @WithDefault("30m")
        Duration resultLifetime();

        /** Runs of one job before it is given up (answered as removed). */
        @WithDefault("5")
        int maxAttempts();

        /** The most traces one job answers (the earliest in its time range). */
        @WithDefault("1000")
        int maxTraces();
    }

    interface Purge {
        @WithDefault("1m")
        Duration interval();

        /** Rows deleted per statement, so that a purge never holds long locks. */
        @WithDefault("10000")
        int batchSize();
    }
}
