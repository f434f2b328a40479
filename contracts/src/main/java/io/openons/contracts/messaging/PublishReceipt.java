package io.openons.contracts.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a publish, sent only after Kafka acknowledged the message (or, for a transactional half
 * message, after it was stored durably).
 *
 * @param msgId          the message id (32 upper-case hex characters)
 * @param bodyMd5        MD5 of the body's UTF-8 bytes, 32 upper-case hex characters
 * @param receiptHandle  for transactional half messages only: the handle to commit or roll back with
 * @param instanceId     the instance the topic belongs to
 * @param partition      the Kafka partition (queue id); -1 for a half message (not in the topic log yet)
 * @param offset         the Kafka offset; -1 for a half message
 * @param brokerName     the broker leading the partition
 * @param storeTimestamp when it was stored (ms)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublishReceipt(String msgId, String bodyMd5, String receiptHandle, String instanceId, int partition,
        long offset, String brokerName, long storeTimestamp) {
}
