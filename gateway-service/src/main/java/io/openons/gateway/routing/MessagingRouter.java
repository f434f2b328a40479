package io.openons.gateway.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.ErrorBody;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.error.OnsException;
import io.openons.contracts.messaging.AckCommand;
import io.openons.contracts.messaging.AckResult;
import io.openons.contracts.messaging.ConsumeCommand;
import io.openons.contracts.messaging.ConsumeResult;
import io.openons.contracts.messaging.MessagingApi;
import io.openons.contracts.messaging.PublishCommand;
import io.openons.contracts.messaging.PublishReceipt;
import io.openons.contracts.operation.InternalHeaders;
import io.openons.contracts.operation.OwningService;
import io.openons.gateway.auth.Credentials;
import io.openons.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Routes authenticated data-plane calls to message-service's internal messaging API ({@link MessagingApi}),
 * carrying the account, the access key and the request id. It is the hot path of every publish, so it uses the
 * thin {@link ServiceClient} (no per-call proxy, URI templating or body readers): the call starts on the caller's
 * event loop and completes there; a long poll waiting in message-service holds a connection, never a thread. Errors come back as {@link OnsException} with the code message-service answered; an unreachable
 * service is {@code ServiceUnavailable}.
 */
@ApplicationScoped
public class MessagingRouter {

    private static final Logger LOG = Logger.getLogger(MessagingRouter.class);

    private final ServiceClient client;
    private final ObjectMapper json;
    private final long timeoutMillis;

    MessagingRouter(GatewayConfig config, ObjectMapper json, Vertx vertx,
            @ConfigProperty(name = "ons.messaging.service-timeout", defaultValue = "45s") Duration timeout,
            @ConfigProperty(name = "ons.messaging.connection-pool-size", defaultValue = "1024") int poolSize) {
        this.json = json;
        this.timeoutMillis = timeout.toMillis();
        String url = config.services().get(OwningService.MESSAGE.serviceName());
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("ons.gateway.services.message-service is not set");
        }
        // Every waiting long poll holds one connection: the pool is far larger than for the operation API.
        this.client = new ServiceClient(vertx, OwningService.MESSAGE.serviceName(), URI.create(url), timeout,
                poolSize);
    }

    void close(@Observes ShutdownEvent stop) {
        client.close();
    }

    public Uni<PublishReceipt> publish(Credentials caller, String requestId, PublishCommand command) {
        return call(MessagingApi.PUBLISH, caller, requestId, command, PublishReceipt.class);
    }

    public Uni<ConsumeResult> consume(Credentials caller, String requestId, ConsumeCommand command) {
        return call(MessagingApi.CONSUME, caller, requestId, command, ConsumeResult.class);
    }

    public Uni<AckResult> ack(Credentials caller, String requestId, AckCommand command) {
        return call(MessagingApi.ACK, caller, requestId, command, AckResult.class);
    }

    private <T> Uni<T> call(String path, Credentials caller, String requestId, Object command, Class<T> type) {
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(command));
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalStateException(e));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json")
                .add("Accept", "application/json")
                .add(InternalHeaders.ACCOUNT_ID, caller.accountId())
                .add(InternalHeaders.ACCESS_KEY_ID, caller.accessKeyId())
                .add(InternalHeaders.REQUEST_ID, requestId);
        var answer = client.send(HttpMethod.POST, MessagingApi.PATH + path, headers, body, timeoutMillis)
                .thenApply(response -> decode(response.status(), response.body(), type));
        return Uni.createFrom().completionStage(answer)
                .onFailure(e -> !(e instanceof OnsException)).transform(e -> {
                    LOG.warnf("message-service unreachable: %s", e.getMessage());
                    return OnsError.MQ_SERVICE_UNAVAILABLE.exception("message-service does not answer");
                });
    }

    private <T> T decode(int status, Buffer body, Class<T> type) {
        if (status >= 200 && status < 300) {
            try {
                return json.readValue(body.getBytes(), type);
            } catch (Exception e) {
                LOG.warnf("message-service answered an unreadable %s: %s", type.getSimpleName(), e.getMessage());
                throw OnsError.MQ_INTERNAL_ERROR.exception("(invalid answer from message-service)");
            }
        }
        ErrorBody error;
        try {
            error = json.readValue(body.getBytes(), ErrorBody.class);
        } catch (Exception e) {
            LOG.warnf("message-service answered %d without an error document", status);
            throw OnsError.MQ_SERVICE_UNAVAILABLE.exception("message-service answered " + status);
        }
        throw error.toException(status);
    }
}
