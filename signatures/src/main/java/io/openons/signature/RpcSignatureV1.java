package io.openons.signature;

import java.util.Map;
import java.util.TreeMap;

/**
 * Alibaba Cloud RPC signature, version 1.0 (HMAC-SHA1), as the ONS OpenAPI documents it and as
 * {@code aliyun-java-sdk-core} computes it:
 * <pre>
 * StringToSign = METHOD + "&amp;" + percentEncode("/") + "&amp;" + percentEncode(canonicalQuery)
 * canonicalQuery = sorted (by name, case-sensitive) percentEncode(name) "=" percentEncode(value), joined by "&amp;"
 * Signature = Base64(HMAC-SHA1(key = secret + "&amp;", StringToSign))
 * </pre>
 * The {@code Signature} parameter itself is never part of the string to sign.
 */
public final class RpcSignatureV1 {

    public static final String SIGNATURE_METHOD = "HMAC-SHA1";
    public static final String SIGNATURE_VERSION = "1.0";
    public static final String SIGNATURE_PARAM = "Signature";

    private RpcSignatureV1() {
    }

    /** The string to sign for a request with these (decoded) parameters; {@code Signature} is skipped. */
    public static String stringToSign(String httpMethod, Map<String, String> parameters) {
        TreeMap<String, String> sorted = new TreeMap<>(parameters);
        sorted.remove(SIGNATURE_PARAM);
        StringBuilder canonical = new StringBuilder(512);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (canonical.length() > 0) {
                canonical.append('&');
            }
            canonical.append(PercentEncoding.encode(e.getKey())).append('=')
                    .append(PercentEncoding.encode(e.getValue() == null ? "" : e.getValue()));
        }
        return httpMethod.toUpperCase(java.util.Locale.ROOT) + "&" + PercentEncoding.encode("/") + "&"
                + PercentEncoding.encode(canonical.toString());
    }

    /** The signature of a string to sign under an AccessKey secret. */
    public static String sign(String accessKeySecret, String stringToSign) {
        return Hmac.base64Mac("HmacSHA1", accessKeySecret + "&", stringToSign);
    }

    /** Whether {@code signature} is the right one, compared in constant time. */
    public static boolean verify(String accessKeySecret, String stringToSign, String signature) {
        return Hmac.constantTimeEquals(sign(accessKeySecret, stringToSign), signature);
    }
}
