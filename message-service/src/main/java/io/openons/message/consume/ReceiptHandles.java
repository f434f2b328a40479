package io.openons.message.consume;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Receipt handles: {@code <message id>-<16 random hex>}, new for every delivery. The random part makes a
 * handle unguessable; the handle is checked against the one stored for that delivery of that group and topic,
 * so it cannot be reused after an ack, after a redelivery, or in another group.
 */
public final class ReceiptHandles {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final int RANDOM_CHARS = 16;

    private ReceiptHandles() {
    }

    public static String next(String msgId) {
        byte[] random = new byte[RANDOM_CHARS / 2];
        RANDOM.nextBytes(random);
        return msgId + "-" + HEX.formatHex(random);
    }

    /** The message id a handle was issued for, or null when the text is not a handle of this form. */
    public static String msgIdOf(String handle) {
        if (handle == null || handle.length() < RANDOM_CHARS + 2 || handle.length() > 128) {
            return null;
        }
        int dash = handle.length() - RANDOM_CHARS - 1;
        if (handle.charAt(dash) != '-') {
            return null;
        }
        for (int i = dash + 1; i < handle.length(); i++) {
            char c = handle.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
                return null;
            }
        }
        return handle.substring(0, dash);
    }
}
