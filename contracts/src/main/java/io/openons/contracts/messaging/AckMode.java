package io.openons.contracts.messaging;

/** What a DELETE of receipt handles means (the MQ HTTP protocol's {@code trans} parameter). */
public enum AckMode {
    /** Acknowledge consumed messages (no {@code trans}). */
    ACK,
    /** Commit a transactional half message ({@code trans=commit}). */
    COMMIT,
    /** Roll back a transactional half message ({@code trans=rollback}). */
    ROLLBACK
}
