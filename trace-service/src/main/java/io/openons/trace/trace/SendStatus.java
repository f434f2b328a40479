package io.openons.trace.trace;

/** The publish status of a trace ({@code TraceMapDo.Status}, §6 of the API catalog). */
public enum SendStatus {
    SEND_SUCCESS, SEND_FAILED, SEND_ROLLBACK, SEND_UNKNOWN, SEND_DELAY
}
