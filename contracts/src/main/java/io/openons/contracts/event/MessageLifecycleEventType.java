package io.openons.contracts.event;

/**
 * What happened in a message's life. Trace-service builds traces from these, stats-service counts them.
 * Consumers must ignore types they do not know (forward compatibility).
 */
public enum MessageLifecycleEventType {
    /** Stored in Kafka and visible to consumers (trace: SEND_SUCCESS). */
    PUBLISHED,
    /** A publish that failed after the message id was assigned (trace: SEND_FAILED). */
    PUBLISH_FAILED,
    /** Stored, but not deliverable before {@code deliverAt} (trace: SEND_DELAY until DELIVERABLE). */
    DELAYED,
    /** A delayed message became deliverable. */
    DELIVERABLE,
    /** A transactional half message was stored; invisible until committed (trace: SEND_UNKNOWN). */
    HALF_PUBLISHED,
    /** A half message was committed and became visible (trace: SEND_SUCCESS). */
    COMMITTED,
    /** A half message was rolled back and will never be delivered (trace: SEND_ROLLBACK). */
    ROLLED_BACK,
    /** Handed to a consumer of a group (one delivery attempt; trace: CONSUME_NOT_RETURN until settled). */
    DELIVERED,
    /** The consumer acknowledged the delivery (trace: CONSUME_SUCCESS). */
    ACKED,
    /**
     * The delivery failed: negatively acknowledged or not acknowledged within its invisibility time; the
     * message will be redelivered or dead-lettered (trace: CONSUME_FAILED).
     */
    CONSUME_FAILED,
    /** Moved to the group's dead-letter queue after its maximum reconsume count. */
    DEAD_LETTERED,
    /** A dead-lettered message was resent to its group (OnsDLQMessageResendById). */
    DLQ_RESENT
}
