package io.openons.message.consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.operation.InternalApi;
import io.openons.message.dlq.DeadLetterService;
import io.openons.message.push.PushService;
import io.openons.message.query.MessageObject;
import io.openons.service.CallerContext;
import io.openons.service.api.ItemList;
import io.openons.service.catalog.ResourceCatalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The consumer-management and dead-letter Actions (internal operation API; the gateway authenticated the caller
 * and checked the required parameters): OnsConsumerAccumulate, OnsConsumerStatus, OnsConsumerGetConnection,
 * OnsConsumerTimeSpan, OnsConsumerResetOffset, OnsTopicSubDetail, OnsGroupSubDetail, OnsMessageTrace,
 * OnsMessagePush, OnsDLQMessageGetById, OnsDLQMessagePageQueryByGroupId, OnsDLQMessageResendById.
 */
@Path(InternalApi.OPERATIONS_PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Consumers and dead letters")
public class ConsumerResource {

    private final ConsumerService consumers;
    private final MessageTraceService traces;
    private final PushService pushes;
    private final DeadLetterService deadLetters;
    private final ResourceCatalog catalog;
    private final CallerContext caller;

    ConsumerResource(ConsumerService consumers, MessageTraceService traces, PushService pushes,
            DeadLetterService deadLetters, ResourceCatalog catalog, CallerContext caller) {
        this.consumers = consumers;
        this.traces = traces;
        this.pushes = pushes;
        this.deadLetters = deadLetters;
        this.catalog = catalog;
        this.caller = caller;
    }

    // ---- consumer status ----

    @POST
    @Path("OnsConsumerAccumulate")
    @Blocking
    @Operation(operationId = "OnsConsumerAccumulate",
            summary = "OnsConsumerAccumulate: a group's backlog, delay and consume TPS, per topic with Detail=true")
    public DataResponse<AccumulateDo> accumulate(GroupRequest request) {
        ResourceEvent.GroupRecord group = group(request.instanceId(), request.groupId());
        ConsumerService.Backlog b = consumers.backlog(caller.accountId(), group);
        return new DataResponse<>(new AccumulateDo(b.consumeTps(), b.delayTime(), b.lastTimestamp(), b.totalDiff(),
                b.online(), details(b, Boolean.TRUE.equals(request.detail()))));
    }

    @POST
    @Path("OnsConsumerStatus")
    @Blocking
    @Operation(operationId = "OnsConsumerStatus",
            summary = "OnsConsumerStatus: online, subscription consistency, rebalance, backlog, connections")
    public DataResponse<StatusDo> status(GroupRequest request) {
        ResourceEvent.GroupRecord group = group(request.instanceId(), request.groupId());
        boolean detail = Boolean.TRUE.equals(request.detail());
        if (Boolean.TRUE.equals(request.needJstack()) && !detail) {
            throw OnsError.FIELD_CHECK_INVALID.exception("NeedJstack=true requires Detail=true.");
        }
        ConsumerService.Status s = consumers.status(caller.accountId(), group, detail);
        ConsumerService.Backlog b = s.backlog();
        List<ConnectionDo> set = new ArrayList<>();
        List<ConsumerConnectionInfoDo> infos = new ArrayList<>();
        for (ConsumerService.Connection c : s.clients()) {
            set.add(new ConnectionDo(c.clientId(), c.clientAddr(), c.language(), c.version(), c.remoteIp()));
            if (detail) {
                List<SubscriptionDataDo> subs = new ArrayList<>();
                for (ConsumerRegistry.Subscription sub : c.subs()) {
                    List<String> tags = "*".equals(sub.subString()) ? List.of()
                            : List.of(sub.subString().split("\\s*\\|\\|\\s*"));
                    subs.add(new SubscriptionDataDo(sub.topic(), sub.subString(),
                            sub.subVersion() == 0 ? null : sub.subVersion(), ItemList.of("Tag", tags)));
                }
                List<RunningDataDo> running = new ArrayList<>();
                for (ConsumerService.RunningData r : s.running().getOrDefault(c.clientId(), List.of())) {
                    running.add(new RunningDataDo(group.groupId(), r.topic(), r.okTps(), r.failedTps(), r.rt(),
                            r.failedCountPerHour()));
                }
                // Jstack is left out: no client protocol served here reports its threads.
                infos.add(new ConsumerConnectionInfoDo(c.clientId(), c.clientAddr(), c.language(), c.version(),
                        ConsumerService.CLUSTERING, c.consumeType(), c.lastTimestamp(), c.startTimestamp(),
                        ItemList.of("SubscriptionData", subs),
                        s.running().containsKey(c.clientId()) ? ItemList.of("ConsumerRunningDataDo", running) : null));
            }
        }
        return new DataResponse<>(new StatusDo(b.consumeTps(), ConsumerService.CLUSTERING, b.totalDiff(),
                group.instanceId(), s.subscriptionSame(), b.delayTime(), b.lastTimestamp(), b.online(),
                s.rebalanceOk(), ItemList.of("ConnectionDo", set),
                ItemList.of("ConsumerConnectionInfoDo", infos), details(b, detail)));
    }

    @POST
    @Path("OnsConsumerGetConnection")
    @Blocking
    @Operation(operationId = "OnsConsumerGetConnection",
            summary = "OnsConsumerGetConnection: the group's online clients (ClientId is OnsMessagePush's input)")
    public DataResponse<ConnectionListDo> connections(GroupRequest request) {
        ResourceEvent.GroupRecord group = group(request.instanceId(), request.groupId());
        List<ConnectionItemDo> list = new ArrayList<>();
        for (ConsumerService.Connection c : consumers.connections(group)) {
            list.add(new ConnectionItemDo(c.clientId(), c.clientAddr(), c.language(), c.version()));
        }
        return new DataResponse<>(new ConnectionListDo(ItemList.of("ConnectionDo", list)));
    }

    @POST
    @Path("OnsConsumerTimeSpan")
    @Blocking
    @Operation(operationId = "OnsConsumerTimeSpan",
            summary = "OnsConsumerTimeSpan: earliest and latest stored message of the topic, the group's progress")
    public DataResponse<TimeSpanDo> timeSpan(GroupTopicRequest request) {
        ResourceEvent.GroupRecord group = group(request.instanceId(), request.groupId());
        ResourceEvent.TopicRecord topic = topic(request.instanceId(), request.topic());
        ConsumerService.TimeSpan t = consumers.timeSpan(group, topic);
        return new DataResponse<>(new TimeSpanDo(t.maxTimestamp(), t.consumeTimestamp(), topic.topic(),
                t.minTimestamp(), group.instanceId()));
    }

    @POST
    @Path("OnsConsumerResetOffset")
    @Blocking
    @Operation(operationId = "OnsConsumerResetOffset",
            summary = "OnsConsumerResetOffset: skip the backlog (Type 0) or move to a time (Type 1)")
    public Map<String, Object> resetOffset(ResetRequest request) {
        ResourceEvent.GroupRecord group = group(request.instanceId(), request.groupId());
        ResourceEvent.TopicRecord topic = topic(request.instanceId(), request.topic());
        if (request.type() == null) {
            throw OnsError.MISSING_PARAMETER.exception("Type");
        }
        consumers.reset(group, topic, request.type(), request.resetTimestamp());
        return Map.of();
    }

    // ---- subscriptions ----

    @POST
    @Path("OnsTopicSubDetail")
    @Blocking
    @Operation(operationId = "OnsTopicSubDetail", summary = "OnsTopicSubDetail: the groups online on a topic")
    public DataResponse<TopicSubDetailDo> topicSubDetail(TopicRequest request) {
        ResourceEvent.TopicRecord topic = topic(request.instanceId(), request.topic());
        List<TopicSubscriptionDo> list = new ArrayList<>();
        for (ConsumerService.Subscribed s : consumers.topicSubscriptions(topic)) {
            list.add(new TopicSubscriptionDo(s.groupId(), ConsumerService.CLUSTERING, s.subString()));
        }
        return new DataResponse<>(new TopicSubDetailDo(topic.topic(), ItemList.of("SubscriptionDataList", list)));
    }

    @POST
    @Path("OnsGroupSubDetail")
    @Blocking
    @Operation(operationId = "OnsGroupSubDetail", summary = "OnsGroupSubDetail: the topics a group consumes online")
    public DataResponse<GroupSubDetailDo> groupSubDetail(GroupRequest request) {
        ResourceEvent.GroupRecord group = group(request.instanceId(), request.groupId());
        ConsumerService.GroupSubscriptions g = consumers.groupSubscriptions(group);
        List<GroupSubscriptionDo> list = new ArrayList<>();
        g.subscriptions().forEach(s -> list.add(new GroupSubscriptionDo(s.topic(), s.subString())));
        return new DataResponse<>(new GroupSubDetailDo(group.groupId(), ConsumerService.CLUSTERING, g.online(),
                ItemList.of("SubscriptionDataList", list)));
    }

    // ---- message trace and push ----

    @POST
    @Path("OnsMessageTrace")
    @Blocking
    @Operation(operationId = "OnsMessageTrace",
            summary = "OnsMessageTrace: per group consuming the topic, whether it consumed the message")
    public DataResponse<ItemList<TrackDo>> messageTrace(MessageRequest request) {
        ResourceEvent.TopicRecord topic = topic(request.instanceId(), request.topic());
        List<TrackDo> list = new ArrayList<>();
        for (MessageTraceService.Track t : traces.trace(topic, request.msgId())) {
            list.add(new TrackDo(t.groupId(), topic.instanceId(), t.trackType(), t.exceptionDesc()));
        }
        return new DataResponse<>(ItemList.of("MessageTrack", list));
    }

    @POST
    @Path("OnsMessagePush")
    @Blocking
    @Operation(operationId = "OnsMessagePush",
            summary = "OnsMessagePush: the message's body as a new message to one online client of the group")
    public Map<String, Object> push(PushRequest request) {
        String instanceId = request.instanceId();
        if (instanceId == null || instanceId.isEmpty()) {
            instanceId = unambiguous(pushes.instancesOf(caller.accountId(), request.msgId()), "MsgId "
                    + request.msgId());
        }
        ResourceEvent.GroupRecord group = group(instanceId, request.groupId());
        ResourceEvent.TopicRecord topic = topic(instanceId, request.topic());
        pushes.push(group, topic, request.clientId(), request.msgId());
        return Map.of();
    }

    // ---- dead letters ----

    @POST
    @Path("OnsDLQMessageGetById")
    @Blocking
    @Operation(operationId = "OnsDLQMessageGetById", summary = "OnsDLQMessageGetById: a group's dead letter by id")
    public DataResponse<MessageObject> dlqById(DlqRequest request) {
        ResourceEvent.GroupRecord group = group(request.instanceId(), request.groupId());
        return new DataResponse<>(deadLetters.byId(group, request.msgId()));
    }

    @POST
    @Path("OnsDLQMessagePageQueryByGroupId")
    @Blocking
    @Operation(operationId = "OnsDLQMessagePageQueryByGroupId",
            summary = "OnsDLQMessagePageQueryByGroupId: a group's dead letters in a time range, paged under a TaskId")
    public PageResponse dlqPage(DlqPageRequest request) {
        ResourceEvent.GroupRecord group = group(request.instanceId(), request.groupId());
        DeadLetterService.Page page = deadLetters.page(caller.accountId(), group, request.beginTime(),
                request.endTime(), request.currentPage(), request.pageSize(), request.taskId());
        return new PageResponse(new MsgFoundDo(page.currentPage(), page.maxPageCount(), page.taskId(),
                ItemList.of("OnsRestMessageDo", page.messages())));
    }

    @POST
    @Path("OnsDLQMessageResendById")
    @Blocking
    @Operation(operationId = "OnsDLQMessageResendById",
            summary = "OnsDLQMessageResendById: deliver a dead letter to its group again; answers the ids that failed")
    public DataResponse<ResendDo> dlqResend(DlqRequest request) {
        String instanceId = request.instanceId();
        if (instanceId == null || instanceId.isEmpty()) {
            List<String> found = deadLetters.instancesOf(caller.accountId(), request.groupId(), request.msgId());
            if (found.isEmpty()) {
                return new DataResponse<>(new ResendDo(List.of(request.msgId())));
            }
            instanceId = unambiguous(found, "the dead letter " + request.msgId() + " of " + request.groupId());
        }
        ResourceEvent.GroupRecord group = group(instanceId, request.groupId());
        return new DataResponse<>(new ResendDo(deadLetters.resend(group, request.msgId())));
    }

    // ---- resolution ----

    private ResourceEvent.GroupRecord group(String instanceId, String groupId) {
        return catalog.requireGroup(caller.accountId(), caller.regionId(), instanceId, groupId);
    }

    private ResourceEvent.TopicRecord topic(String instanceId, String topic) {
        return catalog.requireTopic(caller.accountId(), caller.regionId(), instanceId, topic);
    }

    private static String unambiguous(List<String> instances, String what) {
        if (instances.isEmpty()) {
            throw OnsError.NO_MESSAGE.exception("No instance of yours holds " + what + "; pass InstanceId.");
        }
        if (instances.size() > 1) {
            throw OnsError.FIELD_CHECK_INVALID.exception("Several of your instances hold " + what + " ("
                    + String.join(", ", instances) + "); pass InstanceId.");
        }
        return instances.get(0);
    }

    private static ItemList<DetailInTopicDo> details(ConsumerService.Backlog b, boolean detail) {
        List<DetailInTopicDo> list = new ArrayList<>();
        if (detail) {
            b.topics().forEach(t -> list.add(new DetailInTopicDo(t.delayTime(), t.totalDiff(), t.lastTimestamp(),
                    t.topic())));
        }
        return ItemList.of("DetailInTopicDo", list);
    }

    // ---- requests ----

    public record GroupRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("GroupId") String groupId,
            @JsonProperty("Detail") Boolean detail, @JsonProperty("NeedJstack") Boolean needJstack) {
    }

    public record GroupTopicRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("GroupId") String groupId, @JsonProperty("Topic") String topic) {
    }

    public record ResetRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("GroupId") String groupId,
            @JsonProperty("Topic") String topic, @JsonProperty("Type") Integer type,
            @JsonProperty("ResetTimestamp") Long resetTimestamp) {
    }

    public record TopicRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic) {
    }

    public record MessageRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic,
            @JsonProperty("MsgId") String msgId) {
    }

    public record PushRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("GroupId") String groupId,
            @JsonProperty("ClientId") String clientId, @JsonProperty("MsgId") String msgId,
            @JsonProperty("Topic") String topic) {
    }

    public record DlqRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("GroupId") String groupId,
            @JsonProperty("MsgId") String msgId) {
    }

    public record DlqPageRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("GroupId") String groupId, @JsonProperty("BeginTime") Long beginTime,
            @JsonProperty("EndTime") Long endTime, @JsonProperty("CurrentPage") Integer currentPage,
            @JsonProperty("PageSize") Integer pageSize, @JsonProperty("TaskId") String taskId) {
    }

    // ---- answers (PascalCase as the official SDK reads them; absent values are left out) ----

    public record DataResponse<T>(@JsonProperty("Data") T data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccumulateDo(@JsonProperty("ConsumeTps") Double consumeTps, @JsonProperty("DelayTime") long delayTime,
            @JsonProperty("LastTimestamp") Long lastTimestamp, @JsonProperty("TotalDiff") long totalDiff,
            @JsonProperty("Online") boolean online,
            @JsonProperty("DetailInTopicList") ItemList<DetailInTopicDo> detailInTopicList) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DetailInTopicDo(@JsonProperty("DelayTime") long delayTime, @JsonProperty("TotalDiff") long totalDiff,
            @JsonProperty("LastTimestamp") Long lastTimestamp, @JsonProperty("Topic") String topic) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusDo(@JsonProperty("ConsumeTps") Double consumeTps,
            @JsonProperty("ConsumeModel") String consumeModel, @JsonProperty("TotalDiff") long totalDiff,
            @JsonProperty("InstanceId") String instanceId, @JsonProperty("SubscriptionSame") Boolean subscriptionSame,
            @JsonProperty("DelayTime") long delayTime, @JsonProperty("LastTimestamp") Long lastTimestamp,
            @JsonProperty("Online") boolean online, @JsonProperty("RebalanceOK") boolean rebalanceOk,
            @JsonProperty("ConnectionSet") ItemList<ConnectionDo> connectionSet,
            @JsonProperty("ConsumerConnectionInfoList") ItemList<ConsumerConnectionInfoDo> consumerConnectionInfoList,
            @JsonProperty("DetailInTopicList") ItemList<DetailInTopicDo> detailInTopicList) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConnectionDo(@JsonProperty("ClientId") String clientId, @JsonProperty("ClientAddr") String clientAddr,
            @JsonProperty("Language") String language, @JsonProperty("Version") String version,
            @JsonProperty("RemoteIP") String remoteIp) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConsumerConnectionInfoDo(@JsonProperty("ClientId") String clientId,
            @JsonProperty("Connection") String connection, @JsonProperty("Language") String language,
            @JsonProperty("Version") String version, @JsonProperty("ConsumeModel") String consumeModel,
            @JsonProperty("ConsumeType") String consumeType, @JsonProperty("LastTimeStamp") Long lastTimeStamp,
            @JsonProperty("StartTimeStamp") Long startTimeStamp,
            @JsonProperty("SubscriptionSet") ItemList<SubscriptionDataDo> subscriptionSet,
            @JsonProperty("RunningDataList") ItemList<RunningDataDo> runningDataList) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionDataDo(@JsonProperty("Topic") String topic, @JsonProperty("SubString") String subString,
            @JsonProperty("SubVersion") Long subVersion, @JsonProperty("TagsSet") ItemList<String> tagsSet) {
    }

    public record RunningDataDo(@JsonProperty("GroupId") String groupId, @JsonProperty("Topic") String topic,
            @JsonProperty("OkTps") double okTps, @JsonProperty("FailedTps") double failedTps,
            @JsonProperty("Rt") double rt, @JsonProperty("FailedCountPerHour") long failedCountPerHour) {
    }

    public record ConnectionListDo(@JsonProperty("ConnectionList") ItemList<ConnectionItemDo> connectionList) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConnectionItemDo(@JsonProperty("ClientId") String clientId,
            @JsonProperty("ClientAddr") String clientAddr, @JsonProperty("Language") String language,
            @JsonProperty("Version") String version) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TimeSpanDo(@JsonProperty("MaxTimeStamp") Long maxTimeStamp,
            @JsonProperty("ConsumeTimeStamp") Long consumeTimeStamp, @JsonProperty("Topic") String topic,
            @JsonProperty("MinTimeStamp") Long minTimeStamp, @JsonProperty("InstanceId") String instanceId) {
    }

    public record TopicSubDetailDo(@JsonProperty("Topic") String topic,
            @JsonProperty("SubscriptionDataList") ItemList<TopicSubscriptionDo> subscriptionDataList) {
    }

    public record TopicSubscriptionDo(@JsonProperty("GroupId") String groupId,
            @JsonProperty("MessageModel") String messageModel, @JsonProperty("SubString") String subString) {
    }

    public record GroupSubDetailDo(@JsonProperty("GroupId") String groupId,
            @JsonProperty("MessageModel") String messageModel, @JsonProperty("Online") boolean online,
            @JsonProperty("SubscriptionDataList") ItemList<GroupSubscriptionDo> subscriptionDataList) {
    }

    public record GroupSubscriptionDo(@JsonProperty("Topic") String topic,
            @JsonProperty("SubString") String subString) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrackDo(@JsonProperty("ConsumerGroup") String consumerGroup,
            @JsonProperty("InstanceId") String instanceId, @JsonProperty("TrackType") String trackType,
            @JsonProperty("ExceptionDesc") String exceptionDesc) {
    }

    public record ResendDo(@JsonProperty("MsgId") List<String> msgId) {
    }

    public record PageResponse(@JsonProperty("MsgFoundDo") MsgFoundDo msgFoundDo) {
    }

    public record MsgFoundDo(@JsonProperty("CurrentPage") long currentPage,
            @JsonProperty("MaxPageCount") long maxPageCount, @JsonProperty("TaskId") String taskId,
            @JsonProperty("MsgFoundList") ItemList<MessageObject> msgFoundList) {
    }
}
