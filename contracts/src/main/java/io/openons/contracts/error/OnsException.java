package io.openons.contracts.error;

/**
 * A failure a caller can act on: it carries its catalogue entry, the rendered code (which for
 * {@link OnsError#MISSING_COMMON_PARAMETER} includes the parameter's name) and a message that says what to fix.
 */
public class OnsException extends RuntimeException {

    private final OnsError error;
    private final String code;

    public OnsException(OnsError error, Object... args) {
        super(String.format(error.messageTemplate(), args));
        this.error = error;
        this.code = error == OnsError.MISSING_COMMON_PARAMETER && args.length > 0
                ? String.format(error.code(), args[0])
                : error.code();
    }

    /** Rebuilds an exception received from another service, keeping its code and message verbatim. */
    public OnsException(OnsError error, String code, String message) {
        super(message);
        this.error = error;
        this.code = code;
    }

    public OnsError error() {
        return error;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return error.httpStatus();
    }

    /** Domain errors are expected outcomes; a stack trace adds nothing to them. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
