package io.openons.signature;

import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-encoding as the Alibaba Cloud signature uses it: {@code A-Z a-z 0-9 - _ . ~} stay,
 * every other byte of the UTF-8 form becomes {@code %XY} with upper-case hex (space is {@code %20}).
 * Equivalent to {@code URLEncoder.encode(s, UTF_8)} followed by {@code +}→{@code %20},
 * {@code *}→{@code %2A}, {@code %7E}→{@code ~}, without the three string scans.
 */
public final class PercentEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    public static String encode(String value) {
        if (value == null) {
            return null;
        }
        int length = value.length();
        int i = 0;
        while (i < length && isUnreserved(value.charAt(i))) {
            i++;
        }
        if (i == length) {
            return value;
        }
        StringBuilder out = new StringBuilder(length + 16);
        out.append(value, 0, i);
        byte[] bytes = value.substring(i).getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && isUnreserved(c)) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0x0F]).append(HEX[b & 0x0F]);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }
}
