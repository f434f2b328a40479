package io.openons.stats.consumetps;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Internal API for the other services (message-service's OnsConsumerAccumulate and OnsConsumerStatus): the
 * recent consume TPS of a Group ID, per topic and in total. Not reachable through the gateway; the caller has
 * already authorised the account's access to the group.
 */
@Path(ConsumeTpsResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Consume TPS")
public class ConsumeTpsResource {

    /** Where the API is served. */
    public static final String PATH = "/internal/v1/stats/consume-tps";

    private final ConsumeTpsService service;

    ConsumeTpsResource(ConsumeTpsService service) {
        this.service = service;
    }

    @GET
    @Operation(operationId = "consumeTps", summary = "Recent consume TPS of a Group ID, per topic and in total",
            description = "Messages acknowledged by the group (lifecycle events ACKED) in the last whole minutes "
                    + "of the window, divided by the window's seconds; the same counts as OnsTrendGroupOutputTps.")
    @APIResponse(responseCode = "200", description = "The rate; zero when nothing was consumed")
    @APIResponse(responseCode = "400", description = "MissingParameter or InvalidParameter (window)")
    public ConsumeTps consumeTps(
            @Parameter(description = "The owning account", required = true) @QueryParam("accountId") String accountId,
            @Parameter(description = "The instance", required = true) @QueryParam("instanceId") String instanceId,
            @Parameter(description = "The Group ID", required = true) @QueryParam("groupId") String groupId,
            @Parameter(description = "Only this topic (all the group's topics when absent)") @QueryParam("topic")
            String topic,
            @Parameter(description = "ISO-8601 duration, whole minutes from PT1M to PT1H; default PT1M")
            @QueryParam("window") String window) throws SQLException {
        return service.consumeTps(accountId, instanceId, groupId, topic, window);
    }
}
