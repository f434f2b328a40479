package io.openons.contracts.error;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The error document an owning service returns to the gateway on the internal operation API (with the
 * HTTP status of the catalogue entry); the gateway renders it in the caller's dialect and format.
 */
public record ErrorBody(@JsonProperty("Code") String code, @JsonProperty("Message") String message) {

    public static ErrorBody of(OnsException e) {
        return new ErrorBody(e.code(), e.getMessage());
    }

    /** Turns the document back into an exception, so the gateway renders a service's error as its own. */
    public OnsException toException(int httpStatus) {
        OnsError entry = OnsError.fromCode(code);
        if (entry == null) {
            entry = httpStatus >= 500 ? OnsError.SYSTEM_ERROR : OnsError.FIELD_CHECK_INVALID;
        }
        return new OnsException(entry, code, message);
    }
}
