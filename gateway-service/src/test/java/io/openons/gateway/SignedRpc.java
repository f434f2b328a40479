package io.openons.gateway;

import static io.restassured.RestAssured.given;

import io.openons.signature.PercentEncoding;
import io.openons.signature.RpcSignatureV1;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Builds RPC-dialect requests signed like the official SDK does, with every common parameter adjustable. */
final class SignedRpc {

    static final String KEY_ID = "LTAItestbootstrapkey";
    static final String SECRET = "testsecret";

    final Map<String, String> params = new LinkedHashMap<>();
    private String secret = SECRET;
    private String method = "POST";
    private boolean sign = true;

    private SignedRpc(String action) {
        params.put("Action", action);
        params.put("Version", "2019-02-14");
        params.put("Format", "JSON");
        params.put("AccessKeyId", KEY_ID);
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureVersion", "1.0");
        params.put("SignatureNonce", UUID.randomUUID().toString().replace("-", ""));
        params.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        params.put("RegionId", "cn-hangzhou");
    }

    static SignedRpc action(String action) {
        return new SignedRpc(action);
    }

    SignedRpc with(String name, String value) {
        if (value == null) {
            params.remove(name);
        } else {
            params.put(name, value);
        }
        return this;
    }

    SignedRpc secret(String secret) {
        this.secret = secret;
        return this;
    }

    SignedRpc method(String method) {
        this.method = method;
        return this;
    }

    SignedRpc unsigned() {
        this.sign = false;
        return this;
    }

    String query() {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (sign) {
            all.put("Signature", RpcSignatureV1.sign(secret, RpcSignatureV1.stringToSign(method, params)));
        }
        return all.entrySet().stream()
                .map(e -> PercentEncoding.encode(e.getKey()) + "=" + PercentEncoding.encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    ValidatableResponse send() {
        String url = "/?" + query();
        var request = given().urlEncodingEnabled(false).contentType("application/x-www-form-urlencoded");
        return ("GET".equals(method) ? request.get(url) : request.post(url)).then();
    }
}
