package io.openons.e2e;

import com.aliyuncs.auth.HmacSHA1Signer;
import com.aliyuncs.auth.RpcSignatureComposer;
import com.aliyuncs.http.HttpRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Request rewrites for {@link WireTap}: change common parameters the SDK always fills itself (Timestamp,
 * SignatureMethod...) and sign again with the SDK's own composer and signer, as a client with a wrong clock
 * or another signer would.
 */
public final class WireRewrites {

    private WireRewrites() {
    }

    /** Alters the query parameters, then re-signs with the SDK's RPC signature composer and HMAC-SHA1 signer. */
    public static UnaryOperator<HttpRequest> resigned(String secret, Consumer<Map<String, String>> change) {
        return request -> {
            URI uri = URI.create(request.getSysUrl());
            Map<String, String> params = parse(uri.getRawQuery());
            params.remove("Signature");
            change.accept(params);
            String sts = RpcSignatureComposer.getComposer().composeStringToSign(request.getSysMethod(), null,
                    new HmacSHA1Signer(), params, null, null);
            params.put("Signature", new HmacSHA1Signer().signString(sts, secret + "&"));
            return copy(request, uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?"
                    + encode(params));
        };
    }

    /** Sends the given (already sent) request instead of the next one: a replay with the same nonce. */
    public static UnaryOperator<HttpRequest> replay(HttpRequest earlier) {
        return request -> copy(earlier, earlier.getSysUrl());
    }

    private static HttpRequest copy(HttpRequest original, String url) {
        HttpRequest copy = new HttpRequest(url, original.getSysHeaders());
        copy.setSysMethod(original.getSysMethod());
        copy.setSysConnectTimeout(original.getSysConnectTimeout());
        copy.setSysReadTimeout(original.getSysReadTimeout());
        if (original.getHttpContent() != null) {
            copy.setHttpContent(original.getHttpContent(), original.getSysEncoding(), original.getHttpContentType());
        }
        return copy;
    }

    private static Map<String, String> parse(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8).replace("+", "%20") + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }
}
