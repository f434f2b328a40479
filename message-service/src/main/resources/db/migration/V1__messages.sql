-- message-service schema: the message index, consume state, half messages and query tasks.
-- Times are epoch milliseconds (bigint): they travel as such on every API and need no conversion.

-- The index of every message stored in the Kafka topic of an ONS topic (any producer).
-- Idempotent: a message is one row by id and one row by Kafka position.
CREATE TABLE message (
    msg_id           varchar(64)  PRIMARY KEY,
    kafka_topic      varchar(255) NOT NULL,
    kafka_partition  integer      NOT NULL,
    kafka_offset     bigint       NOT NULL,
    account_id       varchar(20)  NOT NULL,
    instance_id      varchar(64)  NOT NULL,
    topic            varchar(128) NOT NULL,
    tag              text,
    keys             text[],
    -- every property but the id, the tag and the producer bookkeeping, as a JSON object of strings
    properties       text,
    born_timestamp   bigint       NOT NULL,
    store_timestamp  bigint       NOT NULL,
    -- for scheduled/delayed messages: not deliverable before this time
    deliver_at       bigint,
    born_host        varchar(128),
    producer_group   varchar(64),
    body             bytea        NOT NULL,
    body_size        integer      NOT NULL,
    store_size       integer      NOT NULL,
    body_crc         integer      NOT NULL
);
CREATE UNIQUE INDEX message_position ON message (kafka_topic, kafka_partition, kafka_offset);
CREATE INDEX message_by_time ON message (kafka_topic, store_timestamp);
CREATE INDEX message_by_key ON message USING gin (keys);

-- Per Kafka partition: what the index holds (OnsTopicStatus), maintained in the indexer's transactions.
CREATE TABLE partition_stats (
    kafka_topic          varchar(255) NOT NULL,
    kafka_partition      integer      NOT NULL,
    message_count        bigint       NOT NULL,
    last_store_timestamp bigint       NOT NULL,
    max_offset           bigint       NOT NULL,
    PRIMARY KEY (kafka_topic, kafka_partition)
);

-- Consume state, per group and partition: every offset below next_offset was examined by this group
-- (delivered, filtered out, or parked in inflight). Locked FOR UPDATE SKIP LOCKED while a consumer takes.
CREATE TABLE consume_cursor (
    instance_id     varchar(64)  NOT NULL,
    group_id        varchar(64)  NOT NULL,
    kafka_topic     varchar(255) NOT NULL,
    kafka_partition integer      NOT NULL,
    next_offset     bigint       NOT NULL,
    -- messages stored before the group existed are not its to consume
    start_timestamp bigint       NOT NULL,
    PRIMARY KEY (instance_id, group_id, kafka_topic, kafka_partition)
);

-- Deliveries awaiting their ack, and delayed messages awaiting their time (receipt_handle null).
CREATE TABLE inflight (
    instance_id        varchar(64)  NOT NULL,
    group_id           varchar(64)  NOT NULL,
    msg_id             varchar(64)  NOT NULL,
    kafka_topic        varchar(255) NOT NULL,
    kafka_partition    integer      NOT NULL,
    kafka_offset       bigint       NOT NULL,
    receipt_handle     varchar(128),
    visible_at         bigint       NOT NULL,
    consumed_times     integer      NOT NULL,
    first_consume_time bigint,
    delivered_at       bigint,
    client_host        varchar(128),
    PRIMARY KEY (instance_id, group_id, msg_id)
);
CREATE INDEX inflight_due ON inflight (instance_id, group_id, kafka_topic, visible_at);
CREATE INDEX inflight_partition ON inflight (instance_id, group_id, kafka_topic, kafka_partition, kafka_offset);

-- Per-group consume settings (internal API); absent = the configured defaults.
CREATE TABLE group_setting (
    instance_id             varchar(64) NOT NULL,
    group_id                varchar(64) NOT NULL,
    invisible_time_ms       bigint,
    order_invisible_time_ms bigint,
    updated_at              bigint      NOT NULL,
    PRIMARY KEY (instance_id, group_id)
);

-- Transactional half messages: stored here (durably) until committed into the topic's Kafka topic,
-- rolled back, or discarded after the check period.
CREATE TABLE half_message (
    msg_id            varchar(64)  PRIMARY KEY,
    account_id        varchar(20)  NOT NULL,
    instance_id       varchar(64)  NOT NULL,
    topic             varchar(128) NOT NULL,
    kafka_topic       varchar(255) NOT NULL,
    tag               text,
    properties        text         NOT NULL,
    body              bytea        NOT NULL,
    born_host         varchar(128),
    born_timestamp    bigint       NOT NULL,
    store_timestamp   bigint       NOT NULL,
    state             varchar(16)  NOT NULL,
    handle            varchar(128) NOT NULL,
    handle_expires_at bigint       NOT NULL,
    next_check_at     bigint       NOT NULL,
    checked_times     integer      NOT NULL,
    first_checked_at  bigint,
    resolved_at       bigint
);
CREATE INDEX half_message_due ON half_message (kafka_topic, next_check_at) WHERE state = 'PENDING';

-- OnsMessagePageQueryByTopic: the first call fixes the result set under a TaskId.
CREATE TABLE query_task (
    task_id     varchar(32)  PRIMARY KEY,
    account_id  varchar(20)  NOT NULL,
    instance_id varchar(64)  NOT NULL,
    topic       varchar(128) NOT NULL,
    page_size   integer      NOT NULL,
    msg_ids     text[]       NOT NULL,
    created_at  bigint       NOT NULL,
    expires_at  bigint       NOT NULL
);
