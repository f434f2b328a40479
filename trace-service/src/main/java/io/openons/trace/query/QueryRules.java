package io.openons.trace.query;

import io.openons.contracts.error.OnsError;

/**
 * Checks of the text parameters of the trace Actions. The API reference gives no format for them; these rules only
 * refuse what can never match a message (see docs/decisions/0302-trace-query-parameters.md).
 */
final class QueryRules {

    /** Longer message ids do not exist (ids of the suite have 32 characters). */
    static final int MAX_MSG_ID = 128;
    /** A generous bound for one message key, so that a query can never carry an unbounded value. */
    static final int MAX_MSG_KEY = 1024;

    private QueryRules() {
    }

    static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw OnsError.MISSING_PARAMETER.exception(name);
        }
        return value;
    }

    static String msgId(String value) {
        required("MsgId", value);
        if (value.length() > MAX_MSG_ID || hasWhitespace(value)) {
            throw OnsError.INVALID_PARAMETER.exception("MsgId", "\"" + shorten(value) + "\" is not a message id: "
                    + "give the MsgId returned when the message was sent (at most " + MAX_MSG_ID
                    + " characters, no spaces).");
        }
        return value;
    }

    static String msgKey(String value) {
        required("MsgKey", value);
        if (hasWhitespace(value)) {
            throw OnsError.INVALID_PARAMETER.exception("MsgKey", "\"" + shorten(value) + "\" contains a space: a "
                    + "message's keys are separated by spaces, so give one key per query.");
        }
        if (value.length() > MAX_MSG_KEY) {
            throw OnsError.INVALID_PARAMETER.exception("MsgKey", "the key has " + value.length()
                    + " characters; at most " + MAX_MSG_KEY + " are allowed.");
        }
        return value;
    }

    static String queryId(String value) {
        return required("QueryId", value);
    }

    private static boolean hasWhitespace(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
