-- resource-service schema: the owner of resource metadata. No other service reads these tables.

CREATE TABLE service_activation (
    account_id   varchar(20) PRIMARY KEY,
    order_id     varchar(32) NOT NULL,
    activated_at timestamptz NOT NULL
);

CREATE TABLE instance (
    instance_id     varchar(64)  PRIMARY KEY,
    account_id      varchar(20)  NOT NULL,
    region_id       varchar(64)  NOT NULL,
    instance_name   varchar(64)  NOT NULL,
    remark          varchar(256),
    instance_type   integer      NOT NULL,
    instance_status integer      NOT NULL,
    create_time     timestamptz  NOT NULL,
    update_time     timestamptz  NOT NULL,
    CONSTRAINT instance_name_unique UNIQUE (account_id, region_id, instance_name)
);
CREATE INDEX instance_account_region ON instance (account_id, region_id);

CREATE TABLE topic (
    id           bigserial    PRIMARY KEY,
    instance_id  varchar(64)  NOT NULL REFERENCES instance (instance_id),
    account_id   varchar(20)  NOT NULL,
    topic_name   varchar(64)  NOT NULL,
    message_type integer      NOT NULL,
    perm         integer      NOT NULL,
    remark       varchar(256),
    kafka_topic  varchar(249) NOT NULL,
    partitions   integer      NOT NULL,
    create_time  timestamptz  NOT NULL,
    update_time  timestamptz  NOT NULL,
    CONSTRAINT topic_name_unique UNIQUE (instance_id, topic_name)
);

CREATE TABLE consumer_group (
    id          bigserial    PRIMARY KEY,
    instance_id varchar(64)  NOT NULL REFERENCES instance (instance_id),
    account_id  varchar(20)  NOT NULL,
    group_id    varchar(64)  NOT NULL,
    group_type  varchar(8)   NOT NULL,
    read_enable boolean      NOT NULL,
    remark      varchar(256),
    create_time timestamptz  NOT NULL,
    update_time timestamptz  NOT NULL,
    CONSTRAINT group_id_unique UNIQUE (instance_id, group_id)
);

-- Tags of instances, topics and groups. For an instance, instance_id = resource_id.
CREATE TABLE resource_tag (
    id            bigserial    PRIMARY KEY,
    account_id    varchar(20)  NOT NULL,
    resource_type varchar(16)  NOT NULL,
    instance_id   varchar(64)  NOT NULL,
    resource_id   varchar(64)  NOT NULL,
    tag_key       varchar(128) NOT NULL,
    tag_value     varchar(128) NOT NULL,
    CONSTRAINT resource_tag_unique UNIQUE (account_id, resource_type, instance_id, resource_id, tag_key)
);
CREATE INDEX resource_tag_by_key ON resource_tag (account_id, resource_type, tag_key, tag_value);

-- Transactional outbox: written in the transaction that changes state, relayed to Kafka afterwards.
CREATE TABLE outbox_event (
    id          bigserial    PRIMARY KEY,
    event_id    uuid         NOT NULL UNIQUE,
    kafka_topic varchar(249) NOT NULL,
    record_key  varchar(128),
    payload     text         NOT NULL,
    created_at  timestamptz  NOT NULL
);

-- Kafka topics to remove after their ONS topic was deleted; retried until the broker confirms.
CREATE TABLE kafka_topic_removal (
    kafka_topic  varchar(249) PRIMARY KEY,
    requested_at timestamptz  NOT NULL,
    attempts     integer      NOT NULL DEFAULT 0,
    last_error   text
);
