package io.openons.gateway.dialect.rpc;

import io.openons.gateway.render.ResponseFormat;
import java.util.Map;

/**
 * An RPC-dialect request as received: the HTTP method (part of the string to sign) and every parameter of
 * the query string and the form body, percent-decoded.
 */
public record RpcRequest(String httpMethod, Map<String, String> params, String host) {

    public String param(String name) {
        return params.get(name);
    }

    /** The answer format asked for; XML when absent, null when unknown. */
    public ResponseFormat format() {
        return ResponseFormat.of(params.get("Format"));
    }
}
