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
import io.openons.contracts.messaging.PublishBatch;
import io.openons.contracts.messaging.PublishCommand;
import io.openons.contracts.messaging.PublishReceipt;
import io.openons.contracts.operation.InternalHeaders;
import io.openons.contracts.operation.OwningService;
import io.openons.gateway.auth.Credentials;
import io.openons.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    /** The publishes each event loop took in since it last ran its queued tasks (touched by that loop only). */
    private final ThreadLocal<List<PendingPublish>> pendingPublishes = ThreadLocal.withInitial(ArrayList::new);
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

    /**
     * Publishes one message. Called on an event loop, the publish joins the others that loop takes in before it
     * next runs its queued tasks, and they go to message-service as one {@link PublishBatch}; a lone publish goes
     * as itself. Each caller still gets its own receipt or error, on its own request's context.
     */
    public Uni<PublishReceipt> publish(Credentials caller, String requestId, PublishCommand command) {
        Context context = Vertx.currentContext();
        // Only on the event loop itself: a worker thread (a blocking endpoint, a key-cache miss) also sees its
        // request's event-loop context, but the flush would run on the loop and find the loop's list, not this one.
        if (context == null || !context.isEventLoopContext() || !Context.isOnEventLoopThread()) {
            return call(MessagingApi.PUBLISH, caller, requestId, command, PublishReceipt.class);
        }
        PendingPublish publish = new PendingPublish(caller, requestId, command, context, new CompletableFuture<>());
        List<PendingPublish> waiting = pendingPublishes.get();
        waiting.add(publish);
        if (waiting.size() >= PublishBatch.MAX_ENTRIES) {
            flushPublishes();
        } else if (waiting.size() == 1) {
            context.runOnContext(ignored -> flushPublishes());
        }
        return Uni.createFrom().completionStage(publish.answer);
    }

    /** Sends what this event loop gathered: alone as a publish, else as one batch. */
    private void flushPublishes() {
        List<PendingPublish> batch = pendingPublishes.get();
        if (batch.isEmpty()) {
            return;
        }
        pendingPublishes.set(new ArrayList<>());
        if (batch.size() == 1) {
            PendingPublish only = batch.get(0);
            call(MessagingApi.PUBLISH, only.caller, only.requestId, only.command, PublishReceipt.class)
                    .subscribe().with(receipt -> only.complete(receipt, null), failure -> only.complete(null, failure));
            return;
        }
        List<PublishBatch.Entry> entries = new ArrayList<>(batch.size());
        for (PendingPublish p : batch) {
            entries.add(new PublishBatch.Entry(p.caller.accountId(), p.requestId, p.command));
        }
        // The entries name their callers; the batch itself carries only the first request's id (for the logs).
        call(MessagingApi.PUBLISH_BATCH, jsonHeaders(batch.get(0).requestId), new PublishBatch(entries),
                PublishBatch.Outcomes.class)
                .subscribe().with(answer -> {
                    List<PublishBatch.Outcome> outcomes = answer.outcomes();
                    for (int i = 0; i < batch.size(); i++) {
                        PublishBatch.Outcome outcome = outcomes != null && i < outcomes.size() ? outcomes.get(i) : null;
                        if (outcome != null && outcome.receipt() != null) {
                            batch.get(i).complete(outcome.receipt(), null);
                        } else if (outcome != null && outcome.error() != null) {
                            batch.get(i).complete(null, outcome.error().toException(
                                    outcome.status() == null ? 500 : outcome.status()));
                        } else {
                            LOG.warnf("message-service answered %d outcomes for a batch of %d",
                                    outcomes == null ? 0 : outcomes.size(), batch.size());
                            batch.get(i).complete(null, OnsError.MQ_INTERNAL_ERROR.exception(
                                    "(invalid answer from message-service)"));
                        }
                    }
                }, failure -> batch.forEach(p -> p.complete(null, failure)));
    }

    public Uni<ConsumeResult> consume(Credentials caller, String requestId, ConsumeCommand command) {
        return call(MessagingApi.CONSUME, caller, requestId, command, ConsumeResult.class);
    }

    public Uni<AckResult> ack(Credentials caller, String requestId, AckCommand command) {
        return call(MessagingApi.ACK, caller, requestId, command, AckResult.class);
    }

    private <T> Uni<T> call(String path, Credentials caller, String requestId, Object command, Class<T> type) {
        MultiMap headers = jsonHeaders(requestId)
                .add(InternalHeaders.ACCOUNT_ID, caller.accountId())
                .add(InternalHeaders.ACCESS_KEY_ID, caller.accessKeyId());
        return call(path, headers, command, type);
    }

    private static MultiMap jsonHeaders(String requestId) {
        return MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json")
                .add("Accept", "application/json")
                .add(InternalHeaders.REQUEST_ID, requestId);
    }

    private <T> Uni<T> call(String path, MultiMap headers, Object command, Class<T> type) {
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(command));
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalStateException(e));
        }
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

    /** A publish waiting for its batch; its answer completes on the context of the request that made it. */
    private record PendingPublish(Credentials caller, String requestId, PublishCommand command, Context context,
            CompletableFuture<PublishReceipt> answer) {

        void complete(PublishReceipt receipt, Throwable failure) {
            context.runOnContext(ignored -> {
                if (failure == null) {
                    answer.complete(receipt);
                } else {
                    answer.completeExceptionally(failure);
                }
            });
        }
    }
}
