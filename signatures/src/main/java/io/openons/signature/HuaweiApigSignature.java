package io.openons.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Huawei Cloud APIG AK/SK signing, algorithm {@code SDK-HMAC-SHA256}, as the Huawei Cloud Java SDK core
 * ({@code AKSKSigner}) computes it (huawei-apig-signing.md §2):
 * <pre>
 * CanonicalRequest = METHOD \n CanonicalURI(ends with /) \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))
 * StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(SHA256(CanonicalRequest))
 * Signature        = hex(HMAC-SHA256(key = SK, StringToSign))
 * Authorization    = SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b;c, Signature=hex
 * </pre>
 * Path segments and query names/values are RFC 3986 percent-encoded ({@link PercentEncoding}); the query
 * is sorted by encoded name, several values of one name kept in their given order.
 */
public final class HuaweiApigSignature {

    public static final String ALGORITHM = "SDK-HMAC-SHA256";
    /** SHA-256 of the empty body. */
    public static final String EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "^SDK-HMAC-SHA256\\s+Access=([^,]+),\\s*SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]+)$");
    private static final HexFormat HEX = HexFormat.of();

    private HuaweiApigSignature() {
    }

    /** The three parts of an {@code Authorization} header. */
    public record Authorization(String accessKey, List<String> signedHeaders, String signature) {
    }

    /** Parses an {@code Authorization} header; null when it is not of this algorithm's form. */
    public static Authorization parseAuthorization(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = AUTHORIZATION.matcher(header.trim());
        if (!m.matches()) {
            return null;
        }
        List<String> signed = new ArrayList<>();
        for (String h : m.group(2).split(";")) {
            if (!h.isEmpty()) {
                signed.add(h.trim().toLowerCase(Locale.ROOT));
            }
        }
        return new Authorization(m.group(1).trim(), List.copyOf(signed), m.group(3));
    }

    /**
     * The canonical request.
     *
     * @param path          the decoded request path (e.g. {@code /v2/rocketmq/p/instances/i/messages})
     * @param query         decoded query parameters: name, then its values in the order received
     * @param signedHeaders lower-case names in the order to sign (sorted by the caller or as the client listed)
     * @param headerValue   the value of each signed header (looked up by lower-case name)
     * @param bodySha256    lower-case hex SHA-256 of the body, or the {@code X-Sdk-Content-Sha256} value
     */
    public static String canonicalRequest(String method, String path, Map<String, List<String>> query,
            List<String> signedHeaders, java.util.function.Function<String, String> headerValue, String bodySha256) {
        StringBuilder cr = new StringBuilder(512);
        cr.append(method.toUpperCase(Locale.ROOT)).append('\n');
        cr.append(canonicalUri(path)).append('\n');
        cr.append(canonicalQuery(query)).append('\n');
        for (String name : signedHeaders) {
            String value = headerValue.apply(name);
            cr.append(name).append(':').append(value == null ? "" : value.trim()).append('\n');
        }
        cr.append('\n');
        cr.append(String.join(";", signedHeaders)).append('\n');
        cr.append(bodySha256);
        return cr.toString();
    }

    /** Each segment percent-encoded, joined by {@code /}, always ending with {@code /}. */
    static String canonicalUri(String path) {
        String[] segments = (path == null ? "" : path).split("/", -1);
        StringBuilder uri = new StringBuilder(path == null ? 1 : path.length() + 8);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                uri.append('/');
            }
            uri.append(PercentEncoding.encode(segments[i]));
        }
        if (uri.length() == 0 || uri.charAt(uri.length() - 1) != '/') {
            uri.append('/');
        }
        return uri.toString();
    }

    static String canonicalQuery(Map<String, List<String>> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        List<String[]> encoded = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String name = PercentEncoding.encode(e.getKey());
            List<String> values = e.getValue() == null || e.getValue().isEmpty() ? List.of("") : e.getValue();
            for (String v : values) {
                encoded.add(new String[] {name, PercentEncoding.encode(v == null ? "" : v)});
            }
        }
        // Stable sort by encoded name keeps several values of one name in their given order.
        encoded.sort((a, b) -> a[0].compareTo(b[0]));
        StringBuilder q = new StringBuilder();
        for (String[] p : encoded) {
            if (q.length() > 0) {
                q.append('&');
            }
            q.append(p[0]).append('=').append(p[1]);
        }
        return q.toString();
    }

    public static String stringToSign(String sdkDate, String canonicalRequest) {
        return ALGORITHM + "\n" + sdkDate + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    public static String sign(String secretKey, String stringToSign) {
        return HEX.formatHex(Hmac.mac("HmacSHA256", secretKey.getBytes(StandardCharsets.UTF_8), stringToSign));
    }

    public static boolean verify(String secretKey, String stringToSign, String signature) {
        return Hmac.constantTimeEquals(sign(secretKey, stringToSign), signature);
    }

    /** The {@code Authorization} header value for a signature. */
    public static String authorization(String accessKey, List<String> signedHeaders, String signature) {
        return ALGORITHM + " Access=" + accessKey + ", SignedHeaders=" + String.join(";", signedHeaders)
                + ", Signature=" + signature;
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
