package io.openons.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.ErrorBody;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.operation.InternalHeaders;
import io.openons.contracts.operation.OwningService;
import io.openons.gateway.config.GatewayConfig;
import io.openons.gateway.operation.OperationCall;
import io.openons.gateway.operation.OperationResult;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The routing table: each operation goes to the service that owns it ({@link OwningService}, declared once in
 * the operation model) at {@code POST /internal/v1/operations/{Action}}, with the caller's account, region and
 * request id as headers. The service's error documents come back as {@link io.openons.contracts.error.OnsException}.
 */
@ApplicationScoped
public class OperationRouter {

    private static final Logger LOG = Logger.getLogger(OperationRouter.class);

    private static final byte[] EMPTY_DOCUMENT = {'{', '}'};

    private final Map<OwningService, ServiceClient> clients = new EnumMap<>(OwningService.class);
    private final ObjectMapper json;

    OperationRouter(GatewayConfig config, ObjectMapper json, Vertx vertx) {
        this.json = json;
        for (OwningService service : OwningService.values()) {
            String url = config.services().get(service.serviceName());
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("ons.gateway.services." + service.serviceName()
                        + " is not set: give the base URL of " + service.serviceName());
            }
            clients.put(service, new ServiceClient(vertx, service.serviceName(), URI.create(url),
                    config.serviceTimeout(), 64));
        }
    }

    /** The client of an owning service, for dialects that talk to it beyond the operation API. */
    public ServiceClient client(OwningService service) {
        return clients.get(service);
    }

    void close(@Observes ShutdownEvent shutdown) {
        clients.values().forEach(ServiceClient::close);
    }

    /** Calls the owning service without blocking; completes with its result or fails with its error. */
    public CompletionStage<OperationResult> route(OperationCall call) {
        OwningService owner = call.operation().owner();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json")
                .add("Accept", "application/json")
                .add(InternalHeaders.ACCOUNT_ID, call.accountId())
                .add(InternalHeaders.REGION_ID, call.regionId())
                .add(InternalHeaders.REQUEST_ID, call.requestId())
                .add(InternalHeaders.ACCESS_KEY_ID, call.accessKeyId());
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(call.params()));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalStateException(e));
        }
        return clients.get(owner).post(call.operation().internalPath(), headers, body)
                .handle((answer, failure) -> {
                    if (failure != null) {
                        LOG.warnf("%s unreachable for %s: %s", owner.serviceName(), call.operation(), failure);
                        throw OnsError.SERVICE_UNAVAILABLE.exception(owner.serviceName() + " does not answer");
                    }
                    return toResult(owner, call, answer);
                });
    }

    private OperationResult toResult(OwningService owner, OperationCall call, ServiceClient.Answer answer) {
        int status = answer.status();
        byte[] body = answer.body() == null ? new byte[0] : answer.body().getBytes();
        if (status >= 200 && status < 300) {
            return new OperationResult(body.length == 0 ? EMPTY_DOCUMENT : body);
        }
        ErrorBody error;
        try {
            error = json.readValue(body, ErrorBody.class);
        } catch (Exception e) {
            LOG.warnf("%s answered %d without an error document for %s", owner.serviceName(), status,
                    call.operation());
            throw OnsError.SYSTEM_ERROR.exception(call.requestId());
        }
        throw error.toException(status);
    }

}
