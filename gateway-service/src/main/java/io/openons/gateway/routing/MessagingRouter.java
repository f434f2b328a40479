package io.openons.gateway.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.ErrorBody;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.error.OnsException;
import io.openons.contracts.messaging.AckCommand;
import io.openons.contracts.messaging.AckResult;
import io.openons.contracts.messaging.ConsumeCommand;
import io.openons.contracts.messaging.ConsumeResult;
import io.openons.contracts.messaging.PublishCommand;
import io.openons.contracts.messaging.PublishReceipt;
import io.openons.contracts.operation.OwningService;
import io.openons.gateway.auth.Credentials;
import io.openons.gateway.config.GatewayConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Routes authenticated data-plane calls to message-service through its internal messaging API, carrying the
 * account and the request id. Its errors come back as {@link OnsException} with the code and status
 * message-service answered; an unreachable service is {@code ServiceUnavailable}.
 */
@ApplicationScoped
public class MessagingRouter {

    private static final Logger LOG = Logger.getLogger(MessagingRouter.class);

    private final MessagingClient client;
    private final ObjectMapper json;

    MessagingRouter(GatewayConfig config, ObjectMapper json,
            @ConfigProperty(name = "ons.messaging.service-timeout", defaultValue = "45s") Duration timeout,
            @ConfigProperty(name = "ons.messaging.connection-pool-size", defaultValue = "1024") int poolSize) {
        this.json = json;
        String url = config.services().get(OwningService.MESSAGE.serviceName());
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("ons.gateway.services.message-service is not set");
        }
        // Longer than the longest long poll (30 s): message-service answers every poll by then. Every waiting long
        // poll holds one connection, so the pool must be far larger than the HTTP client's default.
        this.client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(url))
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .property("microprofile.rest.client.disable.default.mapper", true)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, poolSize)
                .property(QuarkusRestClientProperties.KEEP_ALIVE_ENABLED, true)
                .build(MessagingClient.class);
    }

    public Uni<PublishReceipt> publish(Credentials caller, String requestId, PublishCommand command) {
        return call(client.publish(caller.accountId(), requestId, caller.accessKeyId(), write(command)),
                PublishReceipt.class);
    }

    public Uni<ConsumeResult> consume(Credentials caller, String requestId, ConsumeCommand command) {
        return call(client.consume(caller.accountId(), requestId, caller.accessKeyId(), write(command)),
                ConsumeResult.class);
    }

    public Uni<AckResult> ack(Credentials caller, String requestId, AckCommand command) {
        return call(client.ack(caller.accountId(), requestId, caller.accessKeyId(), write(command)),
                AckResult.class);
    }

    private <T> Uni<T> call(Uni<Response> response, Class<T> type) {
        return response
                .onFailure(WebApplicationException.class)
                .recoverWithItem(e -> ((WebApplicationException) e).getResponse())
                .onFailure(e -> !(e instanceof OnsException)).transform(e -> {
                    LOG.warnf("message-service unreachable: %s", e.getMessage());
                    return OnsError.MQ_SERVICE_UNAVAILABLE.exception("message-service does not answer");
                })
                .map(decode(type));
    }

    private <T> Function<Response, T> decode(Class<T> type) {
        return r -> {
            try (r) {
                int status = r.getStatus();
                String body = r.hasEntity() ? r.readEntity(String.class) : "";
                if (status >= 200 && status < 300) {
                    try {
                        return json.readValue(body, type);
                    } catch (Exception e) {
                        LOG.warnf("message-service answered an unreadable %s: %s", type.getSimpleName(), e.getMessage());
                        throw OnsError.MQ_INTERNAL_ERROR.exception("(invalid answer from message-service)");
                    }
                }
                ErrorBody error;
                try {
                    error = json.readValue(body, ErrorBody.class);
                } catch (Exception e) {
                    LOG.warnf("message-service answered %d without an error document", status);
                    throw OnsError.MQ_SERVICE_UNAVAILABLE.exception("message-service answered " + status);
                }
                throw error.toException(status);
            }
        };
    }

    private String write(Object command) {
        try {
            return json.writeValueAsString(command);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
