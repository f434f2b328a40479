package io.openons.gateway.dialect.rpc;

import java.util.List;
import java.util.Map;

/** The common parameters of the RPC dialect, for documentation (the checks are in {@link RpcAuthenticator}). */
public final class RpcAuthenticatorParameters {

    /** Every common parameter, in documentation order. */
    public static final List<String> COMMON = List.of("Action", "Version", "Format", "AccessKeyId", "Signature",
            "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "RegionId");

    /** The common parameters a request must carry. */
    public static final List<String> REQUIRED = RpcAuthenticator.REQUIRED_COMMON;

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "Version", "2019-02-14",
            "Format", "JSON or XML (default XML)",
            "AccessKeyId", "Your AccessKey id",
            "Signature", "Base64(HMAC-SHA1(secret + '&', StringToSign)), signature version 1.0",
            "SignatureMethod", "HMAC-SHA1",
            "SignatureVersion", "1.0",
            "SignatureNonce", "A new random value per request (a UUID); a nonce is accepted once",
            "Timestamp", "UTC, yyyy-MM-ddTHH:mm:ssZ, within 15 minutes of the server clock",
            "RegionId", "The region of the resources (default: the server's default region)");

    private RpcAuthenticatorParameters() {
    }

    public static String describe(String name) {
        return DESCRIPTIONS.getOrDefault(name, name);
    }
}
