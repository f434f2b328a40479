package io.openons.contracts.messaging;

/**
 * The internal data-plane API of message-service, called by the gateway's messaging dialects (MQ HTTP, REST)
 * after they authenticated the caller. Requests carry the account in {@code X-Ons-Account-Id} and the request
 * id in {@code X-Request-Id} ({@link io.openons.contracts.operation.InternalHeaders}); errors come back as an
 * {@link io.openons.contracts.error.ErrorBody} with the catalogue entry's status.
 */
public final class MessagingApi {

    /** Path prefix of the messaging API. */
    public static final String PATH = "/internal/v1/messaging";
    /** {@code POST}: {@link PublishCommand} → {@link PublishReceipt}. */
    public static final String PUBLISH = "/publish";
    /**
     * {@code POST}: {@link PublishBatch} → {@link PublishBatch.Outcomes}; each entry carries its caller's account
     * and request id (the headers name none).
     */
    public static final String PUBLISH_BATCH = "/publish-batch";
    /** {@code POST}: {@link ConsumeCommand} → {@link ConsumeResult} (long polling up to 30 s). */
    public static final String CONSUME = "/consume";
    /** {@code POST}: {@link AckCommand} → {@link AckResult}. */
    public static final String ACK = "/ack";

    /** Longest long poll the protocol allows, in seconds. */
    public static final int MAX_WAIT_SECONDS = 30;
    /** Most messages one consume call returns. */
    public static final int MAX_MESSAGES_PER_CONSUME = 16;

    private MessagingApi() {
    }
}
