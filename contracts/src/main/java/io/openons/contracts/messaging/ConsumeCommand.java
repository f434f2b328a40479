package io.openons.contracts.messaging;

/**
 * A consume call.
 *
 * @param instanceId     the instance ({@code ns}), or null
 * @param topic          the ONS topic
 * @param groupId        the consuming Group ID (for {@link ConsumeMode#HALF}: the transactional producer's)
 * @param numOfMessages  1..16
 * @param waitSeconds    0 (answer at once) or 1..30 (long polling)
 * @param tagExpression  {@code *}, a tag, or tags joined by {@code ||}; null = all
 * @param mode           normal, orderly or half
 * @param clientHost     the consuming client's address {@code ip:port}
 * @param clientId       a stable id of the consuming client when the protocol carries one, else null (then
 *                       message-service derives one, docs/decisions/0500-consumer-registry.md)
 * @param userAgent      the client's User-Agent (e.g. {@code mq-java-sdk/1.0.3.2(...)}): its language and version
 */
public record ConsumeCommand(String instanceId, String topic, String groupId, int numOfMessages, int waitSeconds,
        String tagExpression, ConsumeMode mode, String clientHost, String clientId, String userAgent) {

    /** A consume call whose protocol carries no User-Agent. */
    public ConsumeCommand(String instanceId, String topic, String groupId, int numOfMessages, int waitSeconds,
            String tagExpression, ConsumeMode mode, String clientHost, String clientId) {
        this(instanceId, topic, groupId, numOfMessages, waitSeconds, tagExpression, mode, clientHost, clientId, null);
    }
}
