package io.openons.gateway.operation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openons.contracts.operation.Operation;

/**
 * One authenticated call of an operation, whatever dialect it came in: the operation, who calls it, where,
 * under which request id, and its parameters bound to their types.
 */
public record OperationCall(Operation operation, String accountId, String regionId, String requestId,
        String accessKeyId, ObjectNode params) {
}
