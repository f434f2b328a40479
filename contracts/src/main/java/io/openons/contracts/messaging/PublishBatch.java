package io.openons.contracts.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.openons.contracts.error.ErrorBody;
import java.util.List;

/**
 * Several callers' publishes in one call to message-service ({@link MessagingApi#PUBLISH_BATCH}): the gateway
 * gathers the publishes its event loop received together, so the hop costs one request for many messages. Each
 * entry is published on its own — exactly as {@link MessagingApi#PUBLISH} would — and has its own outcome, in
 * the order of the entries; one entry's failure does not touch the others.
 *
 * @param entries the publishes, each with the account and request id its caller was authenticated with
 */
public record PublishBatch(List<Entry> entries) {

    /** Most entries one batch may carry. */
    public static final int MAX_ENTRIES = 512;

    /** One caller's publish. */
    public record Entry(String accountId, String requestId, PublishCommand command) {
    }

    /** The outcomes, one per entry, in order. */
    public record Outcomes(List<Outcome> outcomes) {
    }

    /**
     * One entry's outcome: the receipt, or the HTTP status and error document {@link MessagingApi#PUBLISH} would
     * have answered.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(PublishReceipt receipt, Integer status, ErrorBody error) {

        public static Outcome of(PublishReceipt receipt) {
            return new Outcome(receipt, null, null);
        }

        public static Outcome failed(int status, ErrorBody error) {
            return new Outcome(null, status, error);
        }
    }
}
