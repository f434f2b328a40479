package io.openons.resource.instance;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.openons.contracts.operation.InternalApi;
import io.openons.resource.config.OnsConfig;
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

/** Instance Actions: OnsInstanceCreate, OnsInstanceBaseInfo, OnsInstanceUpdate, OnsInstanceDelete, OnsInstanceInServiceList. */
@Path(InternalApi.OPERATIONS_PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Instances")
public class InstanceResource {

    private final InstanceService instances;
    private final CallerContext caller;
    private final OnsConfig config;

    InstanceResource(InstanceService instances, CallerContext caller, OnsConfig config) {
        this.instances = instances;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Path("OnsInstanceCreate")
    @Operation(operationId = "OnsInstanceCreate", summary = "OnsInstanceCreate: create an instance in the caller's region")
    public CreateResponse create(CreateRequest request) {
        Instance instance = instances.create(caller.accountId(), caller.regionId(), request.instanceName(),
                request.remark());
        return new CreateResponse(new CreateResponse.Data(instance.instanceId, instance.instanceType));
    }

    @POST
    @Path("OnsInstanceBaseInfo")
    @Operation(operationId = "OnsInstanceBaseInfo", summary = "OnsInstanceBaseInfo: an instance and the endpoints that reach it")
    public BaseInfoResponse baseInfo(InstanceIdRequest request) {
        Instance i = instances.baseInfo(caller.accountId(), caller.regionId(), request.instanceId());
        OnsConfig.Endpoints ep = config.endpoints();
        return new BaseInfoResponse(new BaseInfoResponse.InstanceBaseInfo(i.instanceId, i.instanceName, i.remark,
                i.instanceType, i.instanceStatus, true, Long.toString(i.createTime.toEpochMilli()),
                new BaseInfoResponse.Endpoints(ep.kafka(), ep.kafkaInternet().orElse(null), ep.http(),
                        ep.httpInternal(), ep.https().orElse(null))));
    }

    @POST
    @Path("OnsInstanceUpdate")
    @Operation(operationId = "OnsInstanceUpdate", summary = "OnsInstanceUpdate: rename an instance or change its remark")
    public void update(UpdateRequest request) {
        instances.update(caller.accountId(), caller.regionId(), request.instanceId(), request.instanceName(),
                request.remark());
    }

    @POST
    @Path("OnsInstanceDelete")
    @Operation(operationId = "OnsInstanceDelete", summary = "OnsInstanceDelete: delete an instance without topics and groups")
    public void delete(InstanceIdRequest request) {
        instances.delete(caller.accountId(), caller.regionId(), request.instanceId());
    }

    @POST
    @Path("OnsInstanceInServiceList")
    @Operation(operationId = "OnsInstanceInServiceList", summary = "OnsInstanceInServiceList: the caller's instances in the region")
    public ListResponse list(ListRequest request) {
        List<InstanceVO> items = instances.list(caller.accountId(), caller.regionId(),
                request == null ? null : request.tag()).stream()
                .map(it -> new InstanceVO(it.instance().instanceId, it.instance().instanceName,
                        it.instance().instanceType, it.instance().instanceStatus, true,
                        it.instance().createTime.toEpochMilli(), ItemList.of("Tag", it.tags())))
                .toList();
        return new ListResponse(ItemList.of("InstanceVO", items));
    }

    public record CreateRequest(@JsonProperty("InstanceName") String instanceName,
            @JsonProperty("Remark") String remark) {
    }

    public record InstanceIdRequest(@JsonProperty("InstanceId") String instanceId) {
    }

    public record UpdateRequest(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("InstanceName") String instanceName, @JsonProperty("Remark") String remark) {
    }

    public record ListRequest(@JsonProperty("Tag") List<TagDo> tag) {
    }

    public record CreateResponse(@JsonProperty("Data") Data data) {
        public record Data(@JsonProperty("InstanceId") String instanceId,
                @JsonProperty("InstanceType") int instanceType) {
        }
    }

    public record BaseInfoResponse(@JsonProperty("InstanceBaseInfo") InstanceBaseInfo instanceBaseInfo) {

        public record InstanceBaseInfo(@JsonProperty("InstanceId") String instanceId,
                @JsonProperty("InstanceName") String instanceName, @JsonProperty("Remark") String remark,
                @JsonProperty("InstanceType") int instanceType, @JsonProperty("InstanceStatus") int instanceStatus,
                @JsonProperty("IndependentNaming") boolean independentNaming,
                @JsonProperty("CreateTime") String createTime, @JsonProperty("Endpoints") Endpoints endpoints) {
        }

        public record Endpoints(@JsonProperty("TcpEndpoint") String tcpEndpoint,
                @JsonProperty("TcpInternetEndpoint") String tcpInternetEndpoint,
                @JsonProperty("HttpInternetEndpoint") String httpInternetEndpoint,
                @JsonProperty("HttpInternalEndpoint") String httpInternalEndpoint,
                @JsonProperty("HttpInternetSecureEndpoint") String httpInternetSecureEndpoint) {
        }
    }

    public record ListResponse(@JsonProperty("Data") ItemList<InstanceVO> data) {
    }

    public record InstanceVO(@JsonProperty("InstanceId") String instanceId,
            @JsonProperty("InstanceName") String instanceName, @JsonProperty("InstanceType") int instanceType,
            @JsonProperty("InstanceStatus") int instanceStatus,
            @JsonProperty("IndependentNaming") boolean independentNaming,
            @JsonProperty("CreateTime") long createTime, @JsonProperty("Tags") ItemList<TagDo> tags) {
    }
}
