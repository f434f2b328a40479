package io.openons.message.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.openons.contracts.operation.InternalApi;
import io.openons.service.CallerContext;
import io.openons.service.api.ItemList;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Message-query Actions: OnsMessageGetByMsgId, OnsMessageGetByKey, OnsMessagePageQueryByTopic,
 * OnsMessageDetail, OnsTopicStatus (the internal operation API; the gateway authenticated the caller).
 */
@Path(InternalApi.OPERATIONS_PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Message queries")
public class QueryResource {

    private final QueryService queries;
    private final CallerContext caller;

    QueryResource(QueryService queries, CallerContext caller) {
        this.queries = queries;
        this.caller = caller;
    }

    @POST
    @Path("OnsMessageGetByMsgId")
    @Operation(operationId = "OnsMessageGetByMsgId", summary = "OnsMessageGetByMsgId: one message by its id")
    public Uni<DataResponse<MessageObject>> getByMsgId(MessageRequest request) {
        return queries.byId(caller.accountId(), caller.regionId(), request.instanceId(), request.topic(),
                request.msgId()).map(DataResponse::new);
    }

    @POST
    @Path("OnsMessageDetail")
    @Operation(operationId = "OnsMessageDetail", summary = "OnsMessageDetail: one message with its body")
    public Uni<DataResponse<MessageObject>> detail(MessageRequest request) {
        return queries.byId(caller.accountId(), caller.regionId(), request.instanceId(), request.topic(),
                request.msgId()).map(DataResponse::new);
    }

    @POST
    @Path("OnsMessageGetByKey")
    @Operation(operationId = "OnsMessageGetByKey", summary = "OnsMessageGetByKey: a topic's messages with a key")
    public DataResponse<ItemList<MessageObject>> getByKey(KeyRequest request) {
        return new DataResponse<>(ItemList.of("OnsRestMessageDo", queries.byKey(caller.accountId(),
                caller.regionId(), request.instanceId(), request.topic(), request.key())));
    }

    @POST
    @Path("OnsMessagePageQueryByTopic")
    @Operation(operationId = "OnsMessagePageQueryByTopic",
            summary = "OnsMessagePageQueryByTopic: a topic's messages in a time range, paged under a TaskId")
    public PageResponse pageQuery(PageRequest request) {
        QueryService.Page page = queries.page(caller.accountId(), caller.regionId(), request.instanceId(),
                request.topic(), request.beginTime(), request.endTime(), request.currentPage(), request.pageSize(),
                request.taskId());
        return new PageResponse(new MsgFoundDo(page.currentPage(), page.maxPageCount(), page.taskId(),
                ItemList.of("OnsRestMessageDo", page.messages())));
    }

    @POST
    @Path("OnsTopicStatus")
    @Operation(operationId = "OnsTopicStatus", summary = "OnsTopicStatus: message count, last store time, Perm")
    public DataResponse<TopicStatusDo> topicStatus(TopicRequest request) {
        QueryService.TopicStatus s = queries.status(caller.accountId(), caller.regionId(), request.instanceId(),
                request.topic());
        return new DataResponse<>(new TopicStatusDo(s.totalCount(), s.lastTimeStamp(), s.perm()));
    }

    public record MessageRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic,
            @JsonProperty("MsgId") String msgId) {
    }

    public record KeyRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic,
            @JsonProperty("Key") String key) {
    }

    public record PageRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic,
            @JsonProperty("BeginTime") Long beginTime, @JsonProperty("EndTime") Long endTime,
            @JsonProperty("CurrentPage") Integer currentPage, @JsonProperty("PageSize") Integer pageSize,
            @JsonProperty("TaskId") String taskId) {
    }

    public record TopicRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic) {
    }

    public record DataResponse<T>(@JsonProperty("Data") T data) {
    }

    public record PageResponse(@JsonProperty("MsgFoundDo") MsgFoundDo msgFoundDo) {
    }

    public record MsgFoundDo(@JsonProperty("CurrentPage") long currentPage,
            @JsonProperty("MaxPageCount") long maxPageCount, @JsonProperty("TaskId") String taskId,
            @JsonProperty("MsgFoundList") ItemList<MessageObject> msgFoundList) {
    }

    public record TopicStatusDo(@JsonProperty("TotalCount") long totalCount,
            @JsonProperty("LastTimeStamp") long lastTimeStamp, @JsonProperty("Perm") int perm) {
    }
}
