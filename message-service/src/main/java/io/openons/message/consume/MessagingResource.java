package io.openons.message.consume;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import io.openons.message.access.MessagingAccess;
import io.openons.message.publish.PublishService;
import io.openons.service.CallerContext;
import io.openons.service.OperationExceptionMappers;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The internal messaging API ({@link MessagingApi}) the gateway's MQ HTTP and REST dialects call after they
 * authenticated the caller: publish, consume (long polling), ack/commit/rollback, and per-group consume settings.
 */
@Path(MessagingApi.PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Messaging", description = "The data plane behind the MQ HTTP protocol and the REST send API")
public class MessagingResource {

    private final PublishService publish;
    private final MessagingFacade messaging;
    private final GroupSettings settings;
    private final MessagingAccess access;
    private final CallerContext caller;

    MessagingResource(PublishService publish, MessagingFacade messaging, GroupSettings settings,
            MessagingAccess access, CallerContext caller) {
        this.publish = publish;
        this.messaging = messaging;
        this.settings = settings;
        this.access = access;
        this.caller = caller;
    }

    @POST
    @Path(MessagingApi.PUBLISH)
    @Operation(operationId = "publish", summary = "Publish one message; answers once Kafka stored it")
    public CompletionStage<PublishReceipt> publish(PublishCommand command) {
        return publish.publish(caller.accountId(), command);
    }

    @POST
    @Path(MessagingApi.PUBLISH_BATCH)
    @Operation(operationId = "publishBatch", summary = "Publish several callers' messages, each on its own; answers "
            + "with one outcome per entry, in order, once Kafka stored (or refused) every one")
    public CompletionStage<PublishBatch.Outcomes> publishBatch(PublishBatch batch) {
        List<PublishBatch.Entry> entries = batch == null ? null : batch.entries();
        if (entries == null || entries.isEmpty() || entries.size() > PublishBatch.MAX_ENTRIES) {
            throw OnsError.INVALID_PARAMETER.exception("entries", "send 1 to " + PublishBatch.MAX_ENTRIES
                    + " publishes in {\"entries\":[{\"accountId\":..,\"requestId\":..,\"command\":{..}}]}");
        }
        List<CompletableFuture<PublishBatch.Outcome>> outcomes = new ArrayList<>(entries.size());
        for (PublishBatch.Entry entry : entries) {
            CompletionStage<PublishReceipt> published;
            try {
                if (entry == null || entry.accountId() == null || entry.command() == null) {
                    throw OnsError.INVALID_PARAMETER.exception("entries", "every entry needs accountId and command");
                }
                published = publish.publish(entry.accountId(), entry.command());
            } catch (RuntimeException e) {
                published = CompletableFuture.failedFuture(e);
            }
            outcomes.add(published.handle((receipt, failure) -> {
                if (failure == null) {
                    return PublishBatch.Outcome.of(receipt);
                }
                OnsException error = OperationExceptionMappers.asCatalogueError(failure,
                        entry == null ? null : entry.requestId());
                return PublishBatch.Outcome.failed(error.httpStatus(), ErrorBody.of(error));
            }).toCompletableFuture());
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(done -> new PublishBatch.Outcomes(outcomes.stream().map(CompletableFuture::join).toList()));
    }

    @POST
    @Path(MessagingApi.CONSUME)
    @Operation(operationId = "consume", summary = "Take up to 16 messages for a group, long polling up to 30 s")
    public Uni<ConsumeResult> consume(ConsumeCommand command) {
        return messaging.consume(caller.accountId(), command);
    }

    @POST
    @Path(MessagingApi.ACK)
    @Blocking
    @Operation(operationId = "ack", summary = "Acknowledge deliveries, or commit/roll back half messages")
    public AckResult ack(AckCommand command) {
        return messaging.ack(caller.accountId(), command);
    }

    /** Per-group consume settings (not part of any public protocol; operators and tests set them). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GroupSettingsDto(Long invisibleTimeMillis, Long orderInvisibleTimeMillis,
            Integer maxReconsumeTimes) {
    }

    @GET
    @Path("/groups/{instanceId}/{groupId}/settings")
    @Blocking
    @Operation(operationId = "getGroupSettings", summary = "The effective consume settings of a group")
    public GroupSettingsDto groupSettings(@PathParam("instanceId") String instanceId,
            @PathParam("groupId") String groupId) {
        requireGroup(instanceId, groupId);
        GroupSettings.Settings s = settings.of(instanceId, groupId);
        return new GroupSettingsDto(s.invisibleTimeMillis(), s.orderInvisibleTimeMillis(), s.maxReconsumeTimes());
    }

    @PUT
    @Path("/groups/{instanceId}/{groupId}/settings")
    @Blocking
    @Operation(operationId = "putGroupSettings", summary = "Set a group's retry intervals (invisibility, ms) and "
            + "maximum reconsume count; an absent value means the default")
    public GroupSettingsDto setGroupSettings(@PathParam("instanceId") String instanceId,
            @PathParam("groupId") String groupId, GroupSettingsDto body) {
        requireGroup(instanceId, groupId);
        if (body == null) {
            throw OnsError.INVALID_PARAMETER.exception("(body)", "send {\"invisibleTimeMillis\":..,"
                    + "\"orderInvisibleTimeMillis\":..,\"maxReconsumeTimes\":..}");
        }
        Integer max = body.maxReconsumeTimes();
        if (max != null && (max < 0 || max > 1000)) {
            throw OnsError.INVALID_PARAMETER.exception("maxReconsumeTimes", max + " is out of range: use 0 to 1000 "
                    + "(0 dead-letters a message after its first failed delivery)");
        }
        checkRange("invisibleTimeMillis", body.invisibleTimeMillis());
        checkRange("orderInvisibleTimeMillis", body.orderInvisibleTimeMillis());
        GroupSettings.Settings s = settings.set(instanceId, groupId, body.invisibleTimeMillis(),
                body.orderInvisibleTimeMillis(), max);
        return new GroupSettingsDto(s.invisibleTimeMillis(), s.orderInvisibleTimeMillis(), s.maxReconsumeTimes());
    }

    private void requireGroup(String instanceId, String groupId) {
        access.groupOf(caller.accountId(), instanceId, groupId);
    }

    private static void checkRange(String name, Long millis) {
        if (millis != null && (millis < 1_000 || millis > 12 * 3_600_000L)) {
            throw OnsError.INVALID_PARAMETER.exception(name, millis + " is out of range: use 1000 to 43200000 ms");
        }
    }
}
