package io.openons.gateway.dialect.rpc;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.error.OnsException;
import io.openons.gateway.config.GatewayConfig;
import io.openons.gateway.metrics.GatewayMetrics;
import io.openons.gateway.operation.OperationCall;
import io.openons.gateway.operation.ParameterBinder;
import io.openons.gateway.render.DocumentRenderer;
import io.openons.gateway.render.ResponseFormat;
import io.openons.gateway.routing.OperationRouter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The RPC dialect of the ONS OpenAPI ({@code /?Action=...}, version 2019-02-14), GET or POST, parameters in
 * the query string and/or a form body: parse, authenticate, map onto the operation model, route to the
 * owning service, render JSON or XML with the documented envelopes. Non-blocking end to end: the request
 * never parks a thread while it waits for PostgreSQL or the owning service.
 */
@Path("/")
@Tag(name = "ONS OpenAPI (RPC)", description = "Alibaba Cloud ONS OpenAPI 2019-02-14, signature version 1.0")
public class RpcResource {

    private static final Logger LOG = Logger.getLogger(RpcResource.class);
    static final String DIALECT = "rpc";

    private final RpcAuthenticator authenticator;
    private final OperationRouter router;
    private final GatewayMetrics metrics;
    private final String defaultRegion;

    RpcResource(RpcAuthenticator authenticator, OperationRouter router, GatewayMetrics metrics,
            GatewayConfig config) {
        this.authenticator = authenticator;
        this.router = router;
        this.metrics = metrics;
        this.defaultRegion = config.defaultRegion();
    }

    @GET
    @Operation(summary = "Call an Action (GET, parameters in the query string)")
    public Uni<Response> get(@Context HttpServerRequest http) {
        return handle("GET", http, null);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Call an Action (POST, parameters in the query string and/or a form body)")
    public Uni<Response> post(@Context HttpServerRequest http,
            @Parameter(description = "application/x-www-form-urlencoded parameters (optional)") String body) {
        return handle("POST", http, body);
    }

    private Uni<Response> handle(String method, HttpServerRequest http, String body) {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        MDC.put("requestId", requestId);
        String host = http.headers().get("Host");
        RequestState state = new RequestState();
        CompletionStage<Response> answer;
        try {
            Map<String, String> params = new HashMap<>();
            FormDecoder.decodeInto(http.query(), params);
            if (body != null && !body.isEmpty() && isForm(http.headers().get("Content-Type"))) {
                FormDecoder.decodeInto(body, params);
            }
            RpcRequest request = new RpcRequest(method, params, host);
            ResponseFormat asked = request.format();
            if (asked == null) {
                throw OnsError.INVALID_PARAMETER.exception("Format", "use JSON or XML");
            }
            state.format = asked;
            answer = authenticator.authenticate(request).thenCompose(caller -> {
                io.openons.contracts.operation.Operation operation = authenticator.operationOf(request);
                state.action = operation.action();
                String region = request.param("RegionId");
                OperationCall call = new OperationCall(operation, caller.accountId(),
                        region == null || region.isEmpty() ? defaultRegion : region, requestId,
                        caller.accessKeyId(), ParameterBinder.bind(operation, params));
                return router.route(call).thenApply(result -> {
                    byte[] rendered = DocumentRenderer.renderResult(state.format, operation.action() + "Response",
                            requestId, result.json(), operation.bareArrays());
                    metrics.request(DIALECT, state.action, "Success", started);
                    return Response.ok(rendered, state.format.contentType())
                            .header("x-acs-request-id", requestId).header("X-Request-Id", requestId).build();
                });
            });
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return Uni.createFrom().completionStage(answer)
                .onFailure().recoverWithItem(failure -> reject(method, http, body, requestId, host, state, started,
                        failure))
                .onTermination().invoke(() -> MDC.remove("requestId"));
    }

    private Response reject(String method, HttpServerRequest http, String body, String requestId, String host,
            RequestState state, long started, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String action = state.action != null ? state.action : knownAction(http.query(), body);
        if (cause instanceof OnsException e) {
            metrics.request(DIALECT, action, e.code(), started);
            LOG.infof("%s %s rejected: %s %s", method, action, e.code(), e.getMessage());
            return RpcErrors.render(state.format, e, requestId, host);
        }
        metrics.request(DIALECT, action, OnsError.SYSTEM_ERROR.code(), started);
        LOG.errorf(cause, "%s %s failed", method, action);
        return RpcErrors.render(state.format, OnsError.SYSTEM_ERROR.exception(requestId), requestId, host);
    }

    private static boolean isForm(String contentType) {
        return contentType == null
                || contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED);
    }

    /** The Action of a rejected request for metrics, when it names a real one (bounded label values). */
    private static String knownAction(String query, String body) {
        Map<String, String> params = new HashMap<>();
        try {
            FormDecoder.decodeInto(query, params);
            FormDecoder.decodeInto(body, params);
        } catch (RuntimeException e) {
            return "unknown";
        }
        io.openons.contracts.operation.Operation op = io.openons.contracts.operation.Operation.fromAction(
                params.get("Action"));
        return op == null ? "unknown" : op.action();
    }

    /** What is known about the request so far, for rendering its answer or rejection. */
    private static final class RequestState {
        ResponseFormat format = ResponseFormat.XML;
        String action;
    }
}
