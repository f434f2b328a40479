package io.openons.gateway.operation;

import com.fasterxml.jackson.databind.JsonNode;

/** What the owning service answered: the result document (its fields, without RequestId). */
public record OperationResult(JsonNode document) {
}
