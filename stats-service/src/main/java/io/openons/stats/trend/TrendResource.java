package io.openons.stats.trend;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.openons.contracts.operation.InternalApi;
import io.openons.service.CallerContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Trend Actions: OnsTrendTopicInputTps and OnsTrendGroupOutputTps (called by the gateway). */
@Path(InternalApi.OPERATIONS_PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Trends")
public class TrendResource {

    private final TrendService trends;
    private final CallerContext caller;

    TrendResource(TrendService trends, CallerContext caller) {
        this.trends = trends;
        this.caller = caller;
    }

    @POST
    @Path("OnsTrendTopicInputTps")
    @Operation(operationId = "OnsTrendTopicInputTps",
            summary = "OnsTrendTopicInputTps: messages produced to a topic per period (Type 0) or per second (Type 1)")
    @APIResponse(responseCode = "200", description = "A point per period in the range, zeros included")
    @APIResponse(responseCode = "400", description = "BIZ_FIELD_CHECK_INVALID or MissingParameter")
    @APIResponse(responseCode = "404", description = "AUTH_RESOURCE_OWNER_ERROR or BIZ_TOPIC_NOT_FOUND")
    public TrendResponse topicInput(TopicInputRequest body) throws SQLException {
        TopicInputRequest request = body != null ? body : new TopicInputRequest(null, null, null, null, null, null);
        return new TrendResponse(trends.topicInput(caller.accountId(), caller.regionId(), request.instanceId(),
                request.topic(), request.beginTime(), request.endTime(), request.type(), request.period()));
    }

    @POST
    @Path("OnsTrendGroupOutputTps")
    @Operation(operationId = "OnsTrendGroupOutputTps",
            summary = "OnsTrendGroupOutputTps: messages of a topic consumed by a Group ID per period or per second")
    @APIResponse(responseCode = "200", description = "A point per period in the range, zeros included")
    @APIResponse(responseCode = "400", description = "BIZ_FIELD_CHECK_INVALID or MissingParameter")
    @APIResponse(responseCode = "404",
            description = "AUTH_RESOURCE_OWNER_ERROR, BIZ_SUBSCRIPTION_NOT_FOUND or BIZ_TOPIC_NOT_FOUND")
    public TrendResponse groupOutput(GroupOutputRequest body) throws SQLException {
        GroupOutputRequest request = body != null ? body
                : new GroupOutputRequest(null, null, null, null, null, null, null);
        return new TrendResponse(trends.groupOutput(caller.accountId(), caller.regionId(), request.instanceId(),
                request.groupId(), request.topic(), request.beginTime(), request.endTime(), request.type(),
                request.period()));
    }

    public record TopicInputRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("Topic") String topic, @JsonProperty("BeginTime") Long beginTime,
            @JsonProperty("EndTime") Long endTime, @JsonProperty("Type") Integer type,
            @JsonProperty("Period") Long period) {
    }

    public record GroupOutputRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("GroupId") String groupId, @JsonProperty("Topic") String topic,
            @JsonProperty("BeginTime") Long beginTime, @JsonProperty("EndTime") Long endTime,
            @JsonProperty("Type") Integer type, @JsonProperty("Period") Long period) {
    }

    public record TrendResponse(@JsonProperty("Data") TrendData data) {
    }
}
