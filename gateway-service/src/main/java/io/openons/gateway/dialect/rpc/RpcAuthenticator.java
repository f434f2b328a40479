package io.openons.gateway.dialect.rpc;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.operation.Operation;
import io.openons.gateway.auth.AccessKeyStore;
import io.openons.gateway.auth.Credentials;
import io.openons.gateway.auth.NonceRegistry;
import io.openons.gateway.config.GatewayConfig;
import io.openons.signature.RpcSignatureV1;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Checks the common parameters and the signature of an RPC-dialect request, in this order: presence of the
 * common parameters, signature method and version, timestamp format and window, access key, signature,
 * nonce. Nothing reaches a service unless all pass. The nonce is claimed only for a correctly signed request,
 * so forged requests cannot burn a client's nonces.
 */
@ApplicationScoped
public class RpcAuthenticator {

    /** Common parameters every request must carry, in the order their absence is reported. */
    static final List<String> REQUIRED_COMMON = List.of("Action", "Version", "AccessKeyId", "Signature",
            "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final int MAX_NONCE_LENGTH = 128;

    private final AccessKeyStore keys;
    private final NonceRegistry nonces;
    private final Duration tolerance;

    RpcAuthenticator(AccessKeyStore keys, NonceRegistry nonces, GatewayConfig config) {
        this.keys = keys;
        this.nonces = nonces;
        this.tolerance = config.timestampTolerance();
    }

    /**
     * Authenticates the request without blocking: completes with the caller's credentials, or fails with the
     * rejection ({@link io.openons.contracts.error.OnsException}).
     */
    public CompletionStage<Credentials> authenticate(RpcRequest request) {
        try {
            checkCommonParameters(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String accessKeyId = request.param("AccessKeyId");
        String nonce = request.param("SignatureNonce");
        return keys.find(accessKeyId).thenCompose(found -> {
            Credentials credentials = found
                    .orElseThrow(() -> OnsError.INVALID_ACCESS_KEY_NOT_FOUND.exception(accessKeyId));
            if (!credentials.enabled()) {
                throw OnsError.INVALID_ACCESS_KEY_INACTIVE.exception(accessKeyId);
            }
            String stringToSign = RpcSignatureV1.stringToSign(request.httpMethod(), request.params());
            if (!RpcSignatureV1.verify(credentials.secret(), stringToSign, request.param("Signature"))) {
                throw OnsError.SIGNATURE_DOES_NOT_MATCH.exception(stringToSign);
            }
            return nonces.claim(accessKeyId, nonce).thenApply(claimed -> {
                if (!claimed) {
                    throw OnsError.SIGNATURE_NONCE_USED.exception(nonce);
                }
                return credentials;
            });
        });
    }

    private void checkCommonParameters(RpcRequest request) {
        for (String name : REQUIRED_COMMON) {
            String value = request.param(name);
            if (value == null || value.isEmpty()) {
                throw OnsError.MISSING_COMMON_PARAMETER.exception(name);
            }
        }
        String method = request.param("SignatureMethod");
        if (!RpcSignatureV1.SIGNATURE_METHOD.equals(method)) {
            throw OnsError.UNSUPPORTED_SIGNATURE_METHOD.exception(method);
        }
        String version = request.param("SignatureVersion");
        if (!RpcSignatureV1.SIGNATURE_VERSION.equals(version)) {
            throw OnsError.UNSUPPORTED_SIGNATURE_VERSION.exception(version);
        }
        checkTimestamp(request.param("Timestamp"));
        String nonce = request.param("SignatureNonce");
        if (nonce.length() > MAX_NONCE_LENGTH) {
            throw OnsError.INVALID_PARAMETER.exception("SignatureNonce",
                    "at most " + MAX_NONCE_LENGTH + " characters are allowed");
        }
    }

    /** The operation a signed request names: its Version must be ours and its Action known and available. */
    public Operation operationOf(RpcRequest request) {
        String version = request.param("Version");
        if (!Operation.API_VERSION.equals(version)) {
            throw OnsError.INVALID_VERSION.exception(version);
        }
        String action = request.param("Action");
        Operation operation = Operation.fromAction(action);
        if (operation == null) {
            throw OnsError.INVALID_ACTION.exception(action);
        }
        if (!operation.available()) {
            throw OnsError.ACTION_NOT_AVAILABLE.exception(action);
        }
        return operation;
    }

    /**
     * Reads a timestamp the pattern above has accepted ({@code yyyy-MM-ddTHH:mm:ss[.f]Z}) by position: every
     * signed request carries one, and {@link Instant#parse} costs several times more. Field ranges are still
     * checked (an impossible date is a format error); anything unusual (a leap second) takes the general parser.
     */
    static Instant parseUtc(String timestamp) {
        try {
            LocalDateTime local = LocalDateTime.of(digits(timestamp, 0, 4),
                    digits(timestamp, 5, 7), digits(timestamp, 8, 10), digits(timestamp, 11, 13),
                    digits(timestamp, 14, 16), digits(timestamp, 17, 19));
            int nanos = 0;
            if (timestamp.charAt(19) == '.') {
                int end = timestamp.length() - 1;
                nanos = digits(timestamp, 20, end);
                for (int i = end - 20; i < 9; i++) {
                    nanos *= 10;
                }
            }
            return Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.UTC), nanos);
        } catch (DateTimeException e) {
            return Instant.parse(timestamp);
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private void checkTimestamp(String timestamp) {
        Instant time;
        if (!TIMESTAMP.matcher(timestamp).matches()) {
            throw OnsError.INVALID_TIMESTAMP_FORMAT.exception(timestamp);
        }
        try {
            time = parseUtc(timestamp);
        } catch (DateTimeException e) {
            throw OnsError.INVALID_TIMESTAMP_FORMAT.exception(timestamp);
        }
        Instant now = Instant.now();
        if (Duration.between(time, now).abs().compareTo(tolerance) > 0) {
            throw OnsError.INVALID_TIMESTAMP_EXPIRED.exception(timestamp, tolerance.toMinutes(),
                    now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
    }
}
