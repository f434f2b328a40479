package io.openons.trace.trace;

/** The outcome of one delivery attempt ({@code SubClientInfoDo.Status}, §6 of the API catalog). */
public enum ConsumeStatus {
    CONSUME_SUCCESS, CONSUME_FAILED, CONSUME_NOT_RETURN
}
