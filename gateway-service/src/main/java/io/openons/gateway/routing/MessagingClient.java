package io.openons.gateway.routing;

import io.openons.contracts.messaging.MessagingApi;
import io.openons.contracts.operation.InternalHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * message-service's internal messaging API ({@link MessagingApi}), called by the MQ HTTP and REST dialects.
 * Asynchronous: a long poll waiting in message-service holds no gateway thread.
 */
@Path(MessagingApi.PATH)
public interface MessagingClient {

    @POST
    @Path(MessagingApi.PUBLISH)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> publish(@HeaderParam(InternalHeaders.ACCOUNT_ID) String accountId,
            @HeaderParam(InternalHeaders.REQUEST_ID) String requestId,
            @HeaderParam(InternalHeaders.ACCESS_KEY_ID) String accessKeyId, String command);

    @POST
    @Path(MessagingApi.CONSUME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> consume(@HeaderParam(InternalHeaders.ACCOUNT_ID) String accountId,
            @HeaderParam(InternalHeaders.REQUEST_ID) String requestId,
            @HeaderParam(InternalHeaders.ACCESS_KEY_ID) String accessKeyId, String command);

    @POST
    @Path(MessagingApi.ACK)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> ack(@HeaderParam(InternalHeaders.ACCOUNT_ID) String accountId,
            @HeaderParam(InternalHeaders.REQUEST_ID) String requestId,
            @HeaderParam(InternalHeaders.ACCESS_KEY_ID) String accessKeyId, String command);
}
