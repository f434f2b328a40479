package io.openons.gateway.dialect.rpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openons.contracts.error.OnsException;
import io.openons.gateway.render.DocumentRenderer;
import io.openons.gateway.render.ResponseFormat;
import jakarta.ws.rs.core.Response;

/**
 * The error envelope of the RPC dialect: {@code RequestId}, {@code HostId}, {@code Code}, {@code Message},
 * {@code Recommend}, top-level in JSON (where the official SDK reads them) and under {@code <Error>} in XML,
 * with the catalogue entry's HTTP status (4xx for the caller's errors, 5xx for the server's).
 */
public final class RpcErrors {

    private RpcErrors() {
    }

    public static Response render(ResponseFormat format, OnsException e, String requestId, String host) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("RequestId", requestId);
        document.put("HostId", host == null ? "openons" : host);
        document.put("Code", e.code());
        document.put("Message", e.getMessage());
        document.put("Recommend", e.error().recommend());
        return Response.status(e.httpStatus())
                .entity(DocumentRenderer.render(format, "Error", document, false))
                .type(format.contentType())
                .header("x-acs-request-id", requestId)
                .header("X-Request-Id", requestId)
                .build();
    }
}
