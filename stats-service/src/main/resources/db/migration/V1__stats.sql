-- stats-service schema: exact message counts per period, and what the aggregation has already read.

-- Messages counted per minute. group_id '' = messages produced to the topic (OnsTrendTopicInputTps);
-- otherwise messages of the topic consumed by that Group ID (OnsTrendGroupOutputTps).
-- bucket_start is the minute's first epoch millisecond.
CREATE TABLE minute_count (
    account_id   text   NOT NULL,
    instance_id  text   NOT NULL,
    group_id     text   NOT NULL,
    topic        text   NOT NULL,
    bucket_start bigint NOT NULL,
    msg_count    bigint NOT NULL,
    PRIMARY KEY (account_id, instance_id, group_id, topic, bucket_start)
);
-- Rollup and retention select by time only.
CREATE INDEX minute_count_by_time ON minute_count (bucket_start);
-- The consume TPS of a group sums its topics over the last minutes.
CREATE INDEX minute_count_by_group ON minute_count (account_id, instance_id, group_id, bucket_start)
    WHERE group_id <> '';

-- Minutes older than the 1-minute resolution window, rolled up into 10-minute periods (same key).
CREATE TABLE ten_minute_count (
    account_id   text   NOT NULL,
    instance_id  text   NOT NULL,
    group_id     text   NOT NULL,
    topic        text   NOT NULL,
    bucket_start bigint NOT NULL,
    msg_count    bigint NOT NULL,
    PRIMARY KEY (account_id, instance_id, group_id, topic, bucket_start)
);
CREATE INDEX ten_minute_count_by_time ON ten_minute_count (bucket_start);

-- Events already counted (dedupe key: the eventId, or the message id for produced messages), kept while a
-- duplicate can still arrive: until the event's partition has moved on by the dedupe window.
CREATE TABLE seen_event (
    dedupe_key       uuid   PRIMARY KEY,
    source_partition int    NOT NULL,
    event_time       bigint NOT NULL
);
-- Inserted roughly in event-time order: a BRIN index makes the clean-up cheap without slowing inserts.
CREATE INDEX seen_event_by_time ON seen_event USING brin (event_time);

-- The next Kafka offset to read per partition of the lifecycle topic, written in the same transaction as the
-- counts (so a restart or a rebalance resumes exactly after the last counted batch), and how far the
-- partition's event time has got (for the dedupe clean-up). next_offset -1 = from the beginning.
CREATE TABLE ingest_offset (
    topic        text        NOT NULL,
    partition_no int         NOT NULL,
    next_offset  bigint      NOT NULL,
    watermark    bigint      NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition_no)
);
