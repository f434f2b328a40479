package io.openons.signature;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The signature of the MQ HTTP messaging protocol ({@code com.aliyun.mq:mq-http-sdk}):
 * <pre>
 * Authorization: MQ AccessKeyId:Signature
 * StringToSign = VERB "\n" Content-MD5 "\n" Content-Type "\n" Date "\n" CanonicalizedMQHeaders CanonicalizedResource
 * Signature = Base64(HMAC-SHA1(key = secret, StringToSign))
 * </pre>
 * where CanonicalizedMQHeaders are the {@code x-mq-*} headers, names lower-cased and sorted, each
 * {@code name:value\n}, and CanonicalizedResource is the raw request target (path and query as sent).
 */
public final class MqHttpSignature {

    public static final String AUTHORIZATION_PREFIX = "MQ ";

    private MqHttpSignature() {
    }

    /**
     * The string to sign.
     *
     * @param headers     request headers (any name case); only Content-MD5, Content-Type, Date and x-mq-* matter
     * @param rawResource the raw request target: path, then {@code ?} and the raw query when there is one
     */
    public static String stringToSign(String httpMethod, Map<String, String> headers, String rawResource) {
        String contentMd5 = "";
        String contentType = "";
        String date = "";
        TreeMap<String, String> mqHeaders = new TreeMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            String value = h.getValue() == null ? "" : h.getValue();
            switch (name) {
                case "content-md5" -> contentMd5 = value;
                case "content-type" -> contentType = value;
                case "date" -> date = value;
                default -> {
                    if (name.startsWith("x-mq-")) {
                        mqHeaders.put(name, value);
                    }
                }
            }
        }
        StringBuilder sts = new StringBuilder(256);
        sts.append(httpMethod.toUpperCase(Locale.ROOT)).append('\n')
                .append(contentMd5).append('\n')
                .append(contentType).append('\n')
                .append(date).append('\n');
        for (Map.Entry<String, String> h : mqHeaders.entrySet()) {
            sts.append(h.getKey()).append(':').append(h.getValue()).append('\n');
        }
        return sts.append(rawResource).toString();
    }

    public static String sign(String accessKeySecret, String stringToSign) {
        return Hmac.base64Mac("HmacSHA1", accessKeySecret, stringToSign);
    }

    public static boolean verify(String accessKeySecret, String stringToSign, String signature) {
        return Hmac.constantTimeEquals(sign(accessKeySecret, stringToSign), signature);
    }
}
