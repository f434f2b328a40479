package io.openons.gateway.operation;

/**
 * What the owning service answered: the result document (its fields, without RequestId) as the JSON bytes the
 * service wrote, in the wrapped-array model of the API.
 */
public record OperationResult(byte[] json) {
}
