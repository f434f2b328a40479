package io.openons.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC and constant-time comparison shared by the signing schemes. */
final class Hmac {

    /**
     * One {@link Mac} per algorithm and thread: {@code Mac.getInstance} walks the security providers on every call
     * (about a tenth of a signature check on the gateway's publish path); a Mac is re-keyed by {@code init}.
     */
    private static final ThreadLocal<Map<String, Mac>> MACS = ThreadLocal.withInitial(HashMap::new);

    private Hmac() {
    }

    static byte[] mac(String algorithm, byte[] key, String data) {
        try {
            Map<String, Mac> macs = MACS.get();
            Mac mac = macs.get(algorithm);
            if (mac == null) {
                mac = Mac.getInstance(algorithm);
                macs.put(algorithm, mac);
            }
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    static String base64Mac(String algorithm, String key, String data) {
        return Base64.getEncoder().encodeToString(mac(algorithm, key.getBytes(StandardCharsets.UTF_8), data));
    }

    /** Compares two signatures in time independent of where they differ. */
    static boolean constantTimeEquals(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                actual.getBytes(StandardCharsets.UTF_8));
    }
}
