package io.openons.message.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the messaging data plane ({@code ons.message.*}; every value can be overridden by environment). */
@ConfigMapping(prefix = "ons.message")
public interface MessageConfig {

    /** How long messages stay in the index (DECISIONS.md: 3 days); delayed ones count from their delivery time. */
    @WithDefault("72h")
    Duration retention();

    /** Default invisibility of an unordered delivery (HTTP: retry every 5 minutes); per group overridable. */
    @WithDefault("5m")
    Duration invisibleTime();

    /** Default invisibility of an ordered delivery (HTTP: retry every minute); per group overridable. */
    @WithDefault("1m")
    Duration orderInvisibleTime();

    /**
     * How often a waiting long poll looks again without being woken (for redeliveries and delayed messages that
     * come due: no event announces them).
     */
    @WithDefault("1s")
    Duration consumeRecheckInterval();

    /** How often expired rows are removed (retention, finished query tasks, resolved half messages). */
    @WithDefault("1m")
    Duration retentionSweepInterval();

    /** The broker address reported as StoreHost in message queries; defaults to the first bootstrap server. */
    java.util.Optional<String> storeHost();

    Index index();

    Consumer consumer();

    Transaction transaction();

    Query query();

    /** The indexer: Kafka topics of ONS topics → PostgreSQL. */
    interface Index {
        /** Most records indexed in one transaction. */
        @WithDefault("2000")
        int batchSize();

        /** Regular expression of the Kafka topics to index (Kafka topic of ONS topic T in instance I = I.T). */
        @WithDefault("MQ_INST_.+\\..+")
        String topicPattern();

        /** The Kafka consumer group of the indexers (all replicas share it). */
        @WithDefault("ons-message-indexer")
        String consumerGroup();

        /** How often the indexer looks for new Kafka topics. */
        @WithDefault("1s")
        Duration topicDiscoveryInterval();
    }

    /** Transactional (half) messages. */
    interface Transaction {
        /** Interval between two checks of an unresolved half message, and how long a check handle is valid. */
        @WithDefault("10s")
        Duration checkInterval();

        /** An unresolved half message is offered for checking this long, then discarded (rolled back). */
        @WithDefault("24h")
        Duration checkMaxAge();
    }

    /** Message-query Actions. */
    interface Query {
        /** How long a page-query TaskId stays valid (DECISIONS.md: at least 30 minutes). */
        @WithDefault("60m")
        Duration taskLifetime();

        /** Most messages one page-query task holds (50 pages of the largest page size). */
        @WithDefault("2500")
        int maxTaskMessages();

        /** Most messages OnsMessageGetByKey answers. */
        @WithDefault("64")
        int maxKeyMatches();
    }

    /** Consumer registry, retries and dead letters (docs/decisions/0500-0503). */
    interface Consumer {
        /**
         * A client is online while it polled, or waits in a long poll, within this window (default: twice the
         * 30 s long-poll maximum).
         */
        @WithDefault("60s")
        Duration onlineWindow();

        /** The least time between two registry writes for one client and topic (polls in between are not written). */
        @WithDefault("5s")
        Duration registryWriteInterval();

        /** Default maximum reconsume count of a group before a message is dead-lettered (HTTP: 288). */
        @WithDefault("288")
        int maxReconsumeTimes();

        /** How often due deliveries that exhausted their retries are dead-lettered without a polling consumer. */
        @WithDefault("1s")
        Duration deadLetterSweepInterval();

        /** How often the backlog gauges are recomputed. */
        @WithDefault("15s")
        Duration backlogMetricsInterval();

        /** How long a registry row of a client that went away is kept. */
        @WithDefault("24h")
        Duration forgetAfter();
    }

    /** stats-service's internal API (consume TPS of OnsConsumerAccumulate / OnsConsumerStatus). */
    @WithDefault("http://127.0.0.1:8084")
    String statsServiceUrl();

    /** How long an Action waits for stats-service before it answers without ConsumeTps. */
    @WithDefault("2s")
    Duration statsServiceTimeout();
}
