package io.openons.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.ErrorBody;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.operation.OwningService;
import io.openons.gateway.config.GatewayConfig;
import io.openons.gateway.operation.OperationCall;
import io.openons.gateway.operation.OperationResult;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import jakarta.ws.rs.core.Response;

/**
 * The routing table: each operation goes to the service that owns it ({@link OwningService}, declared once in
 * the operation model) through that service's internal REST client, with the account and request id.
 */
@ApplicationScoped
public class OperationRouter {

    private static final Logger LOG = Logger.getLogger(OperationRouter.class);

    private final Map<OwningService, OperationClient> clients = new EnumMap<>(OwningService.class);
    private final ObjectMapper json;

    OperationRouter(GatewayConfig config, ObjectMapper json) {
        this.json = json;
        for (OwningService service : OwningService.values()) {
            String url = config.services().get(service.serviceName());
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("ons.gateway.services." + service.serviceName()
                        + " is not set: give the base URL of " + service.serviceName());
            }
            clients.put(service, QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(url))
                    .connectTimeout(2, TimeUnit.SECONDS)
                    .readTimeout(config.serviceTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .property("microprofile.rest.client.disable.default.mapper", true)
                    .build(OperationClient.class));
        }
    }

    /** Calls the owning service; its errors come back as {@link io.openons.contracts.error.OnsException}. */
    public OperationResult route(OperationCall call) {
        OwningService owner = call.operation().owner();
        int status;
        String body;
        try (Response response = invoke(owner, call)) {
            status = response.getStatus();
            body = response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (ProcessingException e) {
            LOG.warnf("%s unreachable for %s: %s", owner.serviceName(), call.operation(), e.getMessage());
            throw OnsError.SERVICE_UNAVAILABLE.exception(owner.serviceName() + " does not answer");
        }
        if (status >= 200 && status < 300) {
            return new OperationResult(parse(body, owner));
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

    private Response invoke(OwningService owner, OperationCall call) {
        String params;
        try {
            params = json.writeValueAsString(call.params());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            return clients.get(owner).invoke(call.operation().action(), call.accountId(), call.regionId(),
                    call.requestId(), call.accessKeyId(), params);
        } catch (WebApplicationException e) {
            return e.getResponse();
        }
    }

    private JsonNode parse(String body, OwningService owner) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            LOG.warnf("%s answered a document that is not JSON: %s", owner.serviceName(), e.getMessage());
            throw OnsError.SYSTEM_ERROR.exception("(invalid answer from " + owner.serviceName() + ")");
        }
    }
}
