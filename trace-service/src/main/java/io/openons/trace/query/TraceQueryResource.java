package io.openons.trace.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.operation.InternalApi;
import io.openons.service.CallerContext;
import io.openons.trace.job.JobStatus;
import io.openons.trace.job.TraceJob;
import io.openons.trace.job.TraceJobService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The trace Actions: OnsTraceQueryByMsgId and OnsTraceQueryByMsgKey create an asynchronous query job and answer its
 * QueryId at once; OnsTraceGetResult answers the job: {@code working}, then {@code finish} with the traces, and
 * {@code removed} once the result lifetime has passed.
 */
@Path(InternalApi.OPERATIONS_PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Message traces")
public class TraceQueryResource {

    private static final Logger LOG = Logger.getLogger(TraceQueryResource.class);

    private final TraceJobService jobs;
    private final CallerContext caller;
    private final ObjectMapper json;

    TraceQueryResource(TraceJobService jobs, CallerContext caller, ObjectMapper json) {
        this.jobs = jobs;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Path("OnsTraceQueryByMsgId")
    @Operation(operationId = "OnsTraceQueryByMsgId",
            summary = "OnsTraceQueryByMsgId: start a trace query for one message id; answers the QueryId")
    @APIResponse(responseCode = "200", description = "The job was created; fetch it with OnsTraceGetResult")
    @APIResponse(responseCode = "400", description = "A parameter is missing or invalid (Code, Message)")
    @APIResponse(responseCode = "404", description = "AUTH_RESOURCE_OWNER_ERROR or BIZ_TOPIC_NOT_FOUND")
    public QueryResponse queryByMsgId(QueryByMsgIdRequest request) {
        QueryByMsgIdRequest r = request == null ? new QueryByMsgIdRequest(null, null, null, null, null) : request;
        String instanceId = QueryRules.required("InstanceId", r.instanceId());
        String topic = QueryRules.required("Topic", r.topic());
        String msgId = QueryRules.msgId(r.msgId());
        QueryTimeRange range = QueryTimeRange.of(r.beginTime(), r.endTime());
        return new QueryResponse(jobs.create(new TraceJobService.NewJob(caller.accountId(), caller.regionId(),
                instanceId, topic, msgId, null, range.from(), range.to())));
    }

    @POST
    @Path("OnsTraceQueryByMsgKey")
    @Operation(operationId = "OnsTraceQueryByMsgKey",
            summary = "OnsTraceQueryByMsgKey: start a trace query for the messages with a key; answers the QueryId")
    @APIResponse(responseCode = "200", description = "The job was created; fetch it with OnsTraceGetResult")
    @APIResponse(responseCode = "400", description = "A parameter is missing or invalid (Code, Message)")
    @APIResponse(responseCode = "404", description = "AUTH_RESOURCE_OWNER_ERROR or BIZ_TOPIC_NOT_FOUND")
    public QueryResponse queryByMsgKey(QueryByMsgKeyRequest request) {
        QueryByMsgKeyRequest r = request == null ? new QueryByMsgKeyRequest(null, null, null, null, null) : request;
        String instanceId = QueryRules.required("InstanceId", r.instanceId());
        String topic = QueryRules.required("Topic", r.topic());
        String msgKey = QueryRules.msgKey(r.msgKey());
        QueryTimeRange range = QueryTimeRange.of(r.beginTime(), r.endTime());
        return new QueryResponse(jobs.create(new TraceJobService.NewJob(caller.accountId(), caller.regionId(),
                instanceId, topic, null, msgKey, range.from(), range.to())));
    }

    @POST
    @Path("OnsTraceGetResult")
    @Operation(operationId = "OnsTraceGetResult",
            summary = "OnsTraceGetResult: a trace query job: working, finish (with TraceList) or removed")
    @APIResponse(responseCode = "200", description = "The job (TraceData)")
    @APIResponse(responseCode = "400", description = "QueryId is missing")
    @APIResponse(responseCode = "404", description = "BIZ_TRACE_QUERY_NOT_FOUND: no such job of the caller")
    public GetResultResponse getResult(GetResultRequest request) {
        String queryId = QueryRules.queryId(request == null ? null : request.queryId());
        TraceJob job = jobs.get(caller.accountId(), caller.regionId(), queryId);
        JsonNode traceList = null;
        if (job.status() == JobStatus.FINISH) {
            try {
                traceList = json.readTree(job.result());
            } catch (Exception e) {
                LOG.errorf("Stored result of trace query %s is unreadable: %s", queryId, e.getMessage());
                throw OnsError.SYSTEM_ERROR.exception(caller.requestId());
            }
        }
        return new GetResultResponse(new TraceData(job.queryId(), job.status().wire(), job.accountId(),
                job.instanceId(), job.topic(), job.msgId(), job.msgKey(), job.createdAt().toEpochMilli(),
                job.updatedAt().toEpochMilli(), traceList));
    }

    public record QueryByMsgIdRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("Topic") String topic, @JsonProperty("MsgId") String msgId,
            @JsonProperty("BeginTime") Long beginTime, @JsonProperty("EndTime") Long endTime) {
    }

    public record QueryByMsgKeyRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("Topic") String topic, @JsonProperty("MsgKey") String msgKey,
            @JsonProperty("BeginTime") Long beginTime, @JsonProperty("EndTime") Long endTime) {
    }

    public record GetResultRequest(@JsonProperty("QueryId") String queryId) {
    }

    public record QueryResponse(@JsonProperty("QueryId") String queryId) {
    }

    public record GetResultResponse(@JsonProperty("TraceData") TraceData traceData) {
    }

    /**
     * The job as OnsTraceGetResult shows it. {@code MsgId} or {@code MsgKey} is the one the job was created with;
     * {@code TraceList} ({@code {"TraceMapDo":[...]}}) only once finished, exactly as stored.
     */
    @JsonPropertyOrder({"QueryId", "Status", "UserId", "InstanceId", "Topic", "MsgId", "MsgKey", "CreateTime",
            "UpdateTime", "TraceList"})
    public record TraceData(@JsonProperty("QueryId") String queryId, @JsonProperty("Status") String status,
            @JsonProperty("UserId") String userId, @JsonProperty("InstanceId") String instanceId,
            @JsonProperty("Topic") String topic, @JsonProperty("MsgId") String msgId,
            @JsonProperty("MsgKey") String msgKey, @JsonProperty("CreateTime") Long createTime,
            @JsonProperty("UpdateTime") Long updateTime, @JsonProperty("TraceList") JsonNode traceList) {
    }
}
