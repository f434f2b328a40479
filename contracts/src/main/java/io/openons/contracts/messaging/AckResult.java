package io.openons.contracts.messaging;

import java.util.List;

/**
 * The outcome of an ack: the handles that failed (the others were acknowledged); empty when all succeeded.
 */
public record AckResult(List<Failure> failures) {

    /** A handle that could not be acknowledged, echoed byte for byte, with the protocol's error code. */
    public record Failure(String receiptHandle, String code, String message) {
    }
}
