package io.openons.contracts.messaging;

import java.util.List;

/**
 * Acknowledges deliveries, or resolves half messages.
 *
 * @param instanceId     the instance ({@code ns}), or null
 * @param topic          the ONS topic
 * @param groupId        the consuming Group ID (for commit/rollback: the transactional producer's)
 * @param receiptHandles the handles, as received
 * @param mode           ack, commit or rollback
 * @param clientHost     the client's address {@code ip:port}
 */
public record AckCommand(String instanceId, String topic, String groupId, List<String> receiptHandles, AckMode mode,
        String clientHost) {
}
