package io.openons.contracts.operation;

import static io.openons.contracts.operation.ParamSpec.opt;
import static io.openons.contracts.operation.ParamSpec.req;
import static io.openons.contracts.operation.ParamType.BOOLEAN;
import static io.openons.contracts.operation.ParamType.INTEGER;
import static io.openons.contracts.operation.ParamType.LONG;
import static io.openons.contracts.operation.ParamType.REPEAT_LIST;
import static io.openons.contracts.operation.ParamType.TAG_LIST;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The internal operation model: every Action of the ONS OpenAPI 2019-02-14, once, with the service that
 * owns it and its parameters. Every dialect adapter of the gateway maps its requests onto these
 * operations; the owning service serves each one at {@code POST /internal/v1/operations/{Action}}
 * ({@link InternalApi}).
 *
 * <p>{@code available} says whether the owning service implements the operation yet; an operation that is
 * not available is answered by the gateway and never reaches a service.
 */
public enum Operation {

    // ---- gateway/auth ----
    OpenOnsService(OwningService.RESOURCE, true, true),
    OnsRegionList(OwningService.RESOURCE, true, false),

    // ---- instances ----
    OnsInstanceCreate(OwningService.RESOURCE, true, false,
            req("InstanceName"), opt("Remark")),
    OnsInstanceBaseInfo(OwningService.RESOURCE, true, false,
            req("InstanceId")),
    OnsInstanceUpdate(OwningService.RESOURCE, true, false,
            req("InstanceId"), opt("InstanceName"), opt("Remark")),
    OnsInstanceDelete(OwningService.RESOURCE, true, false,
            req("InstanceId")),
    OnsInstanceInServiceList(OwningService.RESOURCE, true, false,
            opt("Tag", TAG_LIST)),

    // ---- topics ----
    OnsTopicCreate(OwningService.RESOURCE, true, false,
            req("InstanceId"), req("Topic"), req("MessageType", INTEGER), opt("Remark")),
    OnsTopicDelete(OwningService.RESOURCE, true, false,
            req("InstanceId"), req("Topic")),
    OnsTopicList(OwningService.RESOURCE, true, false,
            req("InstanceId"), opt("Topic"), opt("UserId"), opt("Tag", TAG_LIST)),
    OnsTopicUpdate(OwningService.RESOURCE, true, false,
            req("InstanceId"), req("Topic"), req("Perm", INTEGER)),
    OnsTopicStatus(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("Topic")),
    OnsTopicSubDetail(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("Topic")),

    // ---- groups ----
    OnsGroupCreate(OwningService.RESOURCE, true, false,
            req("InstanceId"), req("GroupId"), opt("GroupType"), opt("Remark")),
    OnsGroupDelete(OwningService.RESOURCE, true, false,
            req("InstanceId"), req("GroupId")),
    OnsGroupList(OwningService.RESOURCE, true, false,
            req("InstanceId"), opt("GroupId"), opt("GroupType"), opt("Tag", TAG_LIST)),
    OnsGroupConsumerUpdate(OwningService.RESOURCE, true, false,
            req("InstanceId"), req("GroupId"), req("ReadEnable", BOOLEAN)),
    OnsGroupSubDetail(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("GroupId")),

    // ---- tags ----
    TagResources(OwningService.RESOURCE, true, true,
            opt("InstanceId"), req("ResourceType"), req("ResourceId", REPEAT_LIST), req("Tag", TAG_LIST)),
    ListTagResources(OwningService.RESOURCE, true, true,
            opt("InstanceId"), req("ResourceType"), opt("ResourceId", REPEAT_LIST), opt("Tag", TAG_LIST),
            opt("NextToken")),
    UntagResources(OwningService.RESOURCE, true, true,
            opt("InstanceId"), req("ResourceType"), req("ResourceId", REPEAT_LIST), opt("TagKey", REPEAT_LIST),
            opt("All", BOOLEAN)),

    // ---- consumers ----
    OnsConsumerAccumulate(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("GroupId"), opt("Detail", BOOLEAN)),
    OnsConsumerStatus(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("GroupId"), opt("Detail", BOOLEAN), opt("NeedJstack", BOOLEAN)),
    OnsConsumerGetConnection(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("GroupId")),
    OnsConsumerResetOffset(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("GroupId"), req("Topic"), req("Type", INTEGER), opt("ResetTimestamp", LONG)),
    OnsConsumerTimeSpan(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("GroupId"), req("Topic")),
    OnsMessagePush(OwningService.MESSAGE, true, false,
            opt("InstanceId"), req("GroupId"), req("ClientId"), req("MsgId"), req("Topic")),

    // ---- messages and dead letters ----
    OnsMessageGetByMsgId(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("Topic"), req("MsgId")),
    OnsMessageGetByKey(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("Topic"), req("Key")),
    OnsMessagePageQueryByTopic(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("Topic"), opt("BeginTime", LONG), opt("EndTime", LONG),
            opt("CurrentPage", INTEGER), opt("PageSize", INTEGER), opt("TaskId")),
    OnsMessageDetail(OwningService.MESSAGE, true, true,
            req("InstanceId"), req("Topic"), req("MsgId")),
    OnsMessageTrace(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("Topic"), req("MsgId")),
    OnsDLQMessageGetById(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("GroupId"), req("MsgId")),
    OnsDLQMessagePageQueryByGroupId(OwningService.MESSAGE, true, false,
            req("InstanceId"), req("GroupId"), opt("BeginTime", LONG), opt("EndTime", LONG),
            opt("CurrentPage", INTEGER), opt("PageSize", INTEGER), opt("TaskId")),
    OnsDLQMessageResendById(OwningService.MESSAGE, true, false,
            opt("InstanceId"), req("GroupId"), req("MsgId")),

    // ---- trace ----
    OnsTraceQueryByMsgId(OwningService.TRACE, true, false,
            req("InstanceId"), req("Topic"), req("MsgId"), req("BeginTime", LONG), req("EndTime", LONG)),
    OnsTraceQueryByMsgKey(OwningService.TRACE, true, false,
            req("InstanceId"), req("Topic"), req("MsgKey"), req("BeginTime", LONG), req("EndTime", LONG)),
    OnsTraceGetResult(OwningService.TRACE, true, false,
            req("QueryId")),

    // ---- stats ----
    OnsTrendTopicInputTps(OwningService.STATS, true, false,
            req("InstanceId"), req("Topic"), req("BeginTime", LONG), req("EndTime", LONG), req("Type", INTEGER),
            opt("Period", LONG)),
    OnsTrendGroupOutputTps(OwningService.STATS, true, false,
            req("InstanceId"), req("GroupId"), req("Topic"), req("BeginTime", LONG), req("EndTime", LONG),
            req("Type", INTEGER), opt("Period", LONG));

    /** The API version every operation belongs to. */
    public static final String API_VERSION = "2019-02-14";

    private static final Map<String, Operation> BY_ACTION;

    static {
        Map<String, Operation> byAction = new HashMap<>();
        for (Operation op : values()) {
            byAction.put(op.name(), op);
        }
        BY_ACTION = Collections.unmodifiableMap(byAction);
    }

    private final OwningService owner;
    private final boolean available;
    private final boolean bareArrays;
    private final List<ParamSpec> params;

    Operation(OwningService owner, boolean available, boolean bareArrays, ParamSpec... params) {
        this.owner = owner;
        this.available = available;
        this.bareArrays = bareArrays;
        this.params = List.of(params);
    }

    /** The Action name, as sent in {@code Action=}. */
    public String action() {
        return name();
    }

    public OwningService owner() {
        return owner;
    }

    /** Whether the owning service implements this operation yet. */
    public boolean available() {
        return available;
    }

    /**
     * Whether the official SDK reads this Action's arrays bare ({@code "TagResources":[...]}) instead of
     * wrapped in an item-name object ({@code "Data":{"PublishInfoDo":[...]}}); true for the five Actions
     * whose response classes override {@code checkShowJsonItemName()}.
     */
    public boolean bareArrays() {
        return bareArrays;
    }

    public List<ParamSpec> params() {
        return params;
    }

    /** The internal path of this operation on its owning service. */
    public String internalPath() {
        return InternalApi.OPERATIONS_PATH + "/" + name();
    }

    /** The operation named by an Action, or null when there is none. */
    public static Operation fromAction(String action) {
        return action == null ? null : BY_ACTION.get(action);
    }
}
