package io.openons.gateway.routing;

import io.openons.contracts.operation.InternalApi;
import io.openons.contracts.operation.InternalHeaders;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The internal operation API every owning service serves; one client instance per service. */
@Path(InternalApi.OPERATIONS_PATH)
public interface OperationClient {

    @POST
    @Path("{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response invoke(@PathParam("action") String action,
            @HeaderParam(InternalHeaders.ACCOUNT_ID) String accountId,
            @HeaderParam(InternalHeaders.REGION_ID) String regionId,
            @HeaderParam(InternalHeaders.REQUEST_ID) String requestId,
            @HeaderParam(InternalHeaders.ACCESS_KEY_ID) String accessKeyId,
            String params);
}
