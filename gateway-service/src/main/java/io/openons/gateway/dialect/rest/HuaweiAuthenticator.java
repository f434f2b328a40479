package io.openons.gateway.dialect.rest;

import io.openons.contracts.error.OnsError;
import io.openons.gateway.auth.AccessKeyStore;
import io.openons.gateway.auth.Credentials;
import io.openons.gateway.config.GatewayConfig;
import io.openons.signature.HuaweiApigSignature;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies Huawei Cloud's {@code SDK-HMAC-SHA256} signature (huawei-apig-signing.md §2) with the suite's
 * access keys: the canonical request is rebuilt from the signed-header list the client gave (which must include
 * {@code host} and {@code x-sdk-date}), the decoded and re-encoded path and query, and the SHA-256 of the body
 * as received (chunked bodies de-chunked). Every failure is 401 {@code APIGW.0301}, as APIG answers.
 */
@ApplicationScoped
public class HuaweiAuthenticator {

    private static final DateTimeFormatter SDK_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final AccessKeyStore keys;
    private final Duration tolerance;

    HuaweiAuthenticator(AccessKeyStore keys, GatewayConfig config) {
        this.keys = keys;
        this.tolerance = config.timestampTolerance();
    }

    /** Authenticates the request (waits for the key store: call it off the event loop). */
    public Credentials authenticate(HttpServerRequest request, byte[] body) {
        HuaweiApigSignature.Authorization auth = HuaweiApigSignature.parseAuthorization(
                request.getHeader("Authorization"));
        if (auth == null) {
            throw fail("the Authorization header is missing or not \"SDK-HMAC-SHA256 Access=.., SignedHeaders=.., "
                    + "Signature=..\"");
        }
        if (!auth.signedHeaders().contains("host") || !auth.signedHeaders().contains("x-sdk-date")) {
            throw fail("host and x-sdk-date must be signed headers");
        }
        String sdkDate = request.getHeader("X-Sdk-Date");
        checkDate(sdkDate);
        // This dialect's resource runs on a worker thread (it reads a chunked body first), so waiting is fine here.
        Credentials credentials = keys.find(auth.accessKey()).toCompletableFuture().join()
                .orElseThrow(() -> fail("unknown access key"));
        if (!credentials.enabled()) {
            throw fail("the access key is disabled");
        }
        String contentSha = request.getHeader("X-Sdk-Content-Sha256");
        String bodyHash = contentSha != null && !contentSha.isEmpty() ? contentSha
                : HuaweiApigSignature.sha256Hex(body == null ? new byte[0] : body);
        String canonical = HuaweiApigSignature.canonicalRequest(request.method().name(), percentDecode(request.path()),
                queryOf(request.query()), auth.signedHeaders(), name -> request.getHeader(name), bodyHash);
        String stringToSign = HuaweiApigSignature.stringToSign(sdkDate, canonical);
        if (!HuaweiApigSignature.verify(credentials.secret(), stringToSign, auth.signature())) {
            throw fail("verify aksk signature fail");
        }
        return credentials;
    }

    private void checkDate(String sdkDate) {
        if (sdkDate == null) {
            throw fail("the X-Sdk-Date header is missing");
        }
        Instant time;
        try {
            time = LocalDateTime.parse(sdkDate, SDK_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw fail("X-Sdk-Date \"" + sdkDate + "\" is not yyyyMMddTHHmmssZ");
        }
        if (Duration.between(time, Instant.now()).abs().compareTo(tolerance) > 0) {
            throw fail("X-Sdk-Date " + sdkDate + " is more than " + tolerance.toMinutes()
                    + " minutes away from the server time");
        }
    }

    /** Decoded query parameters, each name with its values in the order received. */
    static Map<String, List<String>> queryOf(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /** Decodes {@code %XX} escapes as UTF-8 ({@code +} stays a plus: it is not a space in a URI). */
    static String percentDecode(String s) {
        if (s == null || s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static io.openons.contracts.error.OnsException fail(String why) {
        return OnsError.APIG_SIGNATURE_FAILED.exception(why);
    }
}
