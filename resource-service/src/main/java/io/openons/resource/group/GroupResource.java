package io.openons.resource.group;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.openons.contracts.operation.InternalApi;
import io.openons.service.CallerContext;
import io.openons.service.api.ItemList;
import io.openons.service.api.TagDo;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Group ID Actions: OnsGroupCreate, OnsGroupDelete, OnsGroupList, OnsGroupConsumerUpdate. */
@Path(InternalApi.OPERATIONS_PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Groups")
public class GroupResource {

    private final GroupService groups;
    private final CallerContext caller;

    GroupResource(GroupService groups, CallerContext caller) {
        this.groups = groups;
        this.caller = caller;
    }

    @POST
    @Path("OnsGroupCreate")
    @Operation(operationId = "OnsGroupCreate", summary = "OnsGroupCreate: create a Group ID (tcp or http)")
    public void create(CreateRequest request) {
        groups.create(caller.accountId(), caller.regionId(), request.instanceId(), request.groupId(),
                request.groupType(), request.remark());
    }

    @POST
    @Path("OnsGroupDelete")
    @Operation(operationId = "OnsGroupDelete", summary = "OnsGroupDelete: delete a Group ID")
    public void delete(GroupRequest request) {
        groups.delete(caller.accountId(), caller.regionId(), request.instanceId(), request.groupId());
    }

    @POST
    @Path("OnsGroupConsumerUpdate")
    @Operation(operationId = "OnsGroupConsumerUpdate", summary = "OnsGroupConsumerUpdate: enable or disable reading for a group")
    public void consumerUpdate(ConsumerUpdateRequest request) {
        groups.setReadEnable(caller.accountId(), caller.regionId(), request.instanceId(), request.groupId(),
                request.readEnable());
    }

    @POST
    @Path("OnsGroupList")
    @Operation(operationId = "OnsGroupList", summary = "OnsGroupList: the Group IDs of an instance")
    public ListResponse list(ListRequest request) {
        String accountId = caller.accountId();
        List<SubscribeInfoDo> items = groups.list(accountId, caller.regionId(), request.instanceId(),
                request.groupId(), request.groupType(), request.tag()).stream()
                .map(it -> new SubscribeInfoDo(it.group().groupId, it.group().instanceId, it.group().groupType,
                        accountId, true, it.group().remark, it.group().createTime.toEpochMilli(),
                        it.group().updateTime.toEpochMilli(), ItemList.of("Tag", it.tags())))
                .toList();
        return new ListResponse(ItemList.of("SubscribeInfoDo", items));
    }

    public record CreateRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("GroupId") String groupId, @JsonProperty("GroupType") String groupType,
            @JsonProperty("Remark") String remark) {
    }

    public record GroupRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("GroupId") String groupId) {
    }

    public record ConsumerUpdateRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("GroupId") String groupId, @JsonProperty("ReadEnable") Boolean readEnable) {
    }

    public record ListRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("GroupId") String groupId,
            @JsonProperty("GroupType") String groupType, @JsonProperty("Tag") List<TagDo> tag) {
    }

    public record ListResponse(@JsonProperty("Data") ItemList<SubscribeInfoDo> data) {
    }

    public record SubscribeInfoDo(@JsonProperty("GroupId") String groupId,
            @JsonProperty("InstanceId") String instanceId, @JsonProperty("GroupType") String groupType,
            @JsonProperty("Owner") String owner, @JsonProperty("IndependentNaming") boolean independentNaming,
            @JsonProperty("Remark") String remark, @JsonProperty("CreateTime") long createTime,
            @JsonProperty("UpdateTime") long updateTime, @JsonProperty("Tags") ItemList<TagDo> tags) {
    }
}
