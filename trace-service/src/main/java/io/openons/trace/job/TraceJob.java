package io.openons.trace.job;

import java.time.Instant;

/**
 * A trace query job: what was asked (by message id or by key, with the normalised time range in milliseconds),
 * by whom, its status and, once finished, its stored result (the {@code TraceList} document, written once).
 */
public record TraceJob(
        String queryId,
        String accountId,
        String regionId,
        String instanceId,
        String topic,
        String msgId,
        String msgKey,
        long beginTime,
        long endTime,
        JobStatus status,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        int attempts,
        Integer traceCount,
        String result) {

    /** Whether the job looks a message up by its key (else by its id). */
    public boolean byKey() {
        return msgKey != null;
    }
}
