-- Issue 4: consumer registry, retries and dead letters, pushed and resent messages, per-client running data.

-- The most deliveries of a message to a group before it is dead-lettered (null = the configured default, 288).
ALTER TABLE group_setting ADD COLUMN max_reconsume_times integer;

-- Which client took a delivery (its running data, and the trace's client id).
ALTER TABLE inflight ADD COLUMN client_id varchar(200);
-- Due deliveries of every group, for the dead-letter sweep of groups nobody polls.
CREATE INDEX inflight_visible ON inflight (visible_at) WHERE receipt_handle IS NOT NULL;

-- Consuming clients per group, as their protocol shows them (docs/decisions/0500-consumer-registry.md).
-- A client is online while greatest(last_seen, active_until) is within the online window.
CREATE TABLE consumer_client (
    instance_id  varchar(64)  NOT NULL,
    group_id     varchar(64)  NOT NULL,
    client_id    varchar(200) NOT NULL,
    client_addr  varchar(128),
    remote_ip    varchar(64),
    language     varchar(32),
    version      varchar(64),
    user_agent   varchar(256),
    first_seen   bigint       NOT NULL,
    last_seen    bigint       NOT NULL,
    -- the end of the long poll the client is waiting in (it is online meanwhile)
    active_until bigint       NOT NULL,
    PRIMARY KEY (instance_id, group_id, client_id)
);
CREATE INDEX consumer_client_active ON consumer_client (instance_id, group_id, active_until);

-- What each client subscribes to: one row per (client, topic) with its tag expression.
CREATE TABLE consumer_subscription (
    instance_id  varchar(64)  NOT NULL,
    group_id     varchar(64)  NOT NULL,
    client_id    varchar(200) NOT NULL,
    topic        varchar(128) NOT NULL,
    kafka_topic  varchar(255) NOT NULL,
    sub_string   text         NOT NULL,
    -- when this expression was first seen for this client and topic (RocketMQ's subscription version)
    sub_version  bigint       NOT NULL,
    last_seen    bigint       NOT NULL,
    active_until bigint       NOT NULL,
    PRIMARY KEY (instance_id, group_id, client_id, topic)
);
CREATE INDEX consumer_subscription_topic ON consumer_subscription (instance_id, topic, active_until);

-- Dead letters: a copy of the message per dead-lettering (one id may appear several times after resends),
-- kept for the retention period from the time it was dead-lettered.
CREATE TABLE dead_letter (
    entry_id           bigserial    PRIMARY KEY,
    account_id         varchar(20)  NOT NULL,
    instance_id        varchar(64)  NOT NULL,
    group_id           varchar(64)  NOT NULL,
    msg_id             varchar(64)  NOT NULL,
    topic              varchar(128) NOT NULL,
    kafka_topic        varchar(255) NOT NULL,
    kafka_partition    integer      NOT NULL,
    kafka_offset       bigint       NOT NULL,
    tag                text,
    keys               text[],
    properties         text,
    body               bytea        NOT NULL,
    body_crc           integer      NOT NULL,
    store_size         integer      NOT NULL,
    born_timestamp     bigint       NOT NULL,
    born_host          varchar(128),
    store_timestamp    bigint       NOT NULL,
    reconsume_times    integer      NOT NULL,
    first_consume_time bigint,
    dead_at            bigint       NOT NULL,
    expires_at         bigint       NOT NULL
);
CREATE INDEX dead_letter_by_time ON dead_letter (instance_id, group_id, dead_at);
CREATE INDEX dead_letter_by_msg ON dead_letter (instance_id, group_id, msg_id);
CREATE INDEX dead_letter_expiry ON dead_letter (expires_at);

-- Messages delivered to one group outside its topic's stream: dead letters resent (OnsDLQMessageResendById,
-- same id) and pushed messages (OnsMessagePush, a new id, for one client only). Same delivery columns as inflight.
CREATE TABLE direct_delivery (
    instance_id        varchar(64)  NOT NULL,
    group_id           varchar(64)  NOT NULL,
    msg_id             varchar(64)  NOT NULL,
    kind               varchar(8)   NOT NULL,
    account_id         varchar(20)  NOT NULL,
    topic              varchar(128) NOT NULL,
    kafka_topic        varchar(255) NOT NULL,
    -- only this client may take it (pushes); null = any client of the group (resends)
    target_client_id   varchar(200),
    origin_msg_id      varchar(64)  NOT NULL,
    dlq_entry_id       bigint,
    kafka_partition    integer,
    kafka_offset       bigint,
    tag                text,
    keys               text[],
    properties         text,
    body               bytea        NOT NULL,
    body_crc           integer      NOT NULL,
    store_size         integer      NOT NULL,
    born_timestamp     bigint       NOT NULL,
    born_host          varchar(128),
    store_timestamp    bigint       NOT NULL,
    receipt_handle     varchar(128),
    visible_at         bigint       NOT NULL,
    consumed_times     integer      NOT NULL,
    first_consume_time bigint,
    delivered_at       bigint,
    client_host        varchar(128),
    client_id          varchar(200),
    created_at         bigint       NOT NULL,
    expires_at         bigint       NOT NULL,
    PRIMARY KEY (instance_id, group_id, msg_id)
);
CREATE INDEX direct_delivery_due ON direct_delivery (instance_id, group_id, kafka_topic, visible_at);
CREATE INDEX direct_delivery_visible ON direct_delivery (visible_at);
CREATE INDEX direct_delivery_expiry ON direct_delivery (expires_at);

-- Per client, topic and minute: acknowledged and failed deliveries and the summed time to ack (running data).
CREATE TABLE client_stat (
    instance_id varchar(64)  NOT NULL,
    group_id    varchar(64)  NOT NULL,
    client_id   varchar(200) NOT NULL,
    topic       varchar(128) NOT NULL,
    minute      bigint       NOT NULL,
    ok          integer      NOT NULL,
    failed      integer      NOT NULL,
    rt_sum      bigint       NOT NULL,
    PRIMARY KEY (instance_id, group_id, client_id, topic, minute)
);
CREATE INDEX client_stat_minute ON client_stat (minute);
