-- trace-service schema: message traces and trace query jobs. No other service reads these tables.
-- Text columns are unbounded on purpose: a lifecycle event is never refused for a long value (one bad event
-- must not stop the ingestion of a whole batch).

-- Every message lifecycle event received, stored once: event_id is the idempotency key, so an event delivered
-- twice is counted once. A message's trace is folded from its events when a query job runs, which makes the
-- trace independent of the order in which the events arrive.
CREATE TABLE trace_event (
    event_id        uuid    PRIMARY KEY,
    msg_id          text    NOT NULL,
    instance_id     text    NOT NULL,
    topic           text    NOT NULL,
    type            text    NOT NULL,
    occurred_at     bigint  NOT NULL,
    -- Retention counts from here: when the event happened, or for a delayed message from its delivery time.
    retain_from     bigint  NOT NULL,
    tag             text,
    msg_keys        text,
    born_host       text,
    producer_group  text,
    born_timestamp  bigint,
    store_timestamp bigint,
    deliver_at      bigint,
    cost_millis     bigint,
    group_id        text,
    client_id       text,
    client_host     text,
    reconsume_times integer,
    delivered_at    bigint
);
CREATE INDEX trace_event_by_msg ON trace_event (msg_id);
CREATE INDEX trace_event_retention ON trace_event (retain_from);

-- The message keys of published messages, for OnsTraceQueryByMsgKey: one row per key of each message, with
-- the message's publish time (PubTime), which the query's BeginTime..EndTime range selects on.
CREATE TABLE trace_key (
    instance_id text   NOT NULL,
    topic       text   NOT NULL,
    msg_key     text   NOT NULL,
    msg_time    bigint NOT NULL,
    msg_id      text   NOT NULL,
    retain_from bigint NOT NULL,
    PRIMARY KEY (instance_id, topic, msg_key, msg_time, msg_id)
);
CREATE INDEX trace_key_retention ON trace_key (retain_from);

-- Asynchronous trace query jobs. A job is claimed with a lease (lease_owner, lease_until); attempts is the
-- fencing token: only the holder of the latest claim may store the result, and only once (status working ->
-- finish), so a job is never answered twice with different results.
CREATE TABLE trace_job (
    query_id    text        PRIMARY KEY,
    account_id  text        NOT NULL,
    region_id   text        NOT NULL,
    instance_id text        NOT NULL,
    topic       text        NOT NULL,
    msg_id      text,
    msg_key     text,
    begin_time  bigint      NOT NULL,
    end_time    bigint      NOT NULL,
    status      text        NOT NULL CHECK (status IN ('working', 'finish', 'removed')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    finished_at timestamptz,
    lease_owner text,
    lease_until timestamptz,
    attempts    integer     NOT NULL DEFAULT 0,
    trace_count integer,
    result      text,
    CHECK ((msg_id IS NULL) <> (msg_key IS NULL))
);
CREATE INDEX trace_job_unfinished ON trace_job (created_at) WHERE status = 'working';
CREATE INDEX trace_job_finished ON trace_job (finished_at) WHERE status = 'finish';
CREATE INDEX trace_job_created ON trace_job (created_at);
