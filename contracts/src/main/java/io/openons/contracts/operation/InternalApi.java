package io.openons.contracts.operation;

/** Where owning services serve the internal operation API. */
public final class InternalApi {

    /** Path prefix; each operation is served at {@code POST OPERATIONS_PATH/{Action}}. */
    public static final String OPERATIONS_PATH = "/internal/v1/operations";

    private InternalApi() {
    }
}
