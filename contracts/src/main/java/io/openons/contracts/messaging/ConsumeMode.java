package io.openons.contracts.messaging;

/** How a consume call takes messages (the MQ HTTP protocol's {@code trans} parameter). */
public enum ConsumeMode {
    /** Unordered consumption (no {@code trans}). */
    NORMAL,
    /** Ordered: per partition, nothing new before every earlier delivery is acked ({@code trans=order}). */
    ORDERLY,
    /** Transactional half messages due for the producer's check ({@code trans=pop}). */
    HALF
}
