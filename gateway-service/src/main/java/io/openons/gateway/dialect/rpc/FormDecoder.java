package io.openons.gateway.dialect.rpc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Decodes {@code name=value&...} from a query string or an {@code application/x-www-form-urlencoded} body:
 * percent-escapes as UTF-8 and {@code +} as a space (the official SDK never sends a bare {@code +}). When a
 * name repeats, the first value counts.
 */
final class FormDecoder {

    private FormDecoder() {
    }

    static void decodeInto(String encoded, Map<String, String> params) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        int start = 0;
        int length = encoded.length();
        while (start <= length) {
            int end = encoded.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                String pair = encoded.substring(start, end);
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!name.isEmpty()) {
                    params.putIfAbsent(name, value);
                }
            }
            start = end + 1;
        }
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw io.openons.contracts.error.OnsError.INVALID_PARAMETER.exception("(query string)",
                    "malformed percent-encoding in \"" + s + "\"");
        }
    }
}
