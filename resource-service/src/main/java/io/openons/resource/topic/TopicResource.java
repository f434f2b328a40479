package io.openons.resource.topic;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.openons.contracts.operation.InternalApi;
import io.openons.service.CallerContext;
import io.openons.service.api.ItemList;
import io.openons.service.api.TagDo;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Topic Actions: OnsTopicCreate, OnsTopicDelete, OnsTopicList, OnsTopicUpdate. */
@Path(InternalApi.OPERATIONS_PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Topics")
public class TopicResource {

    /** RelationName of Relation 1 (owner), as the console shows it. */
    private static final String RELATION_OWNER = "持有者";

    private final TopicService topics;
    private final CallerContext caller;

    TopicResource(TopicService topics, CallerContext caller) {
        this.topics = topics;
        this.caller = caller;
    }

    @POST
    @Path("OnsTopicCreate")
    @Operation(operationId = "OnsTopicCreate", summary = "OnsTopicCreate: create a topic and its Kafka topic")
    public void create(CreateRequest request) {
        topics.create(caller.accountId(), caller.regionId(), request.instanceId(), request.topic(),
                request.messageType(), request.remark());
    }

    @POST
    @Path("OnsTopicDelete")
    @Operation(operationId = "OnsTopicDelete", summary = "OnsTopicDelete: delete a topic and its Kafka topic")
    public void delete(TopicRequest request) {
        topics.delete(caller.accountId(), caller.regionId(), request.instanceId(), request.topic());
    }

    @POST
    @Path("OnsTopicUpdate")
    @Operation(operationId = "OnsTopicUpdate", summary = "OnsTopicUpdate: set a topic's read/write permission")
    public void update(UpdateRequest request) {
        topics.updatePerm(caller.accountId(), caller.regionId(), request.instanceId(), request.topic(),
                request.perm());
    }

    @POST
    @Path("OnsTopicList")
    @Operation(operationId = "OnsTopicList", summary = "OnsTopicList: the topics of an instance")
    public Uni<ListResponse> list(ListRequest request) {
        String accountId = caller.accountId();
        return topics.list(accountId, caller.regionId(), request.instanceId(), request.topic(), request.userId(),
                request.tag()).map(listed -> new ListResponse(ItemList.of("PublishInfoDo", listed.stream()
                        .map(t -> new PublishInfoDo(t.topicName(), t.instanceId(), t.messageType(), accountId, 1,
                                RELATION_OWNER, true, t.remark(), t.createTime().toEpochMilli(),
                                ItemList.of("Tag", t.tags())))
                        .toList())));
    }

    public record CreateRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic,
            @JsonProperty("MessageType") Integer messageType, @JsonProperty("Remark") String remark) {
    }

    public record TopicRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic) {
    }

    public record UpdateRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic,
            @JsonProperty("Perm") Integer perm) {
    }

    public record ListRequest(@JsonProperty("InstanceId") String instanceId, @JsonProperty("Topic") String topic,
            @JsonProperty("UserId") String userId, @JsonProperty("Tag") List<TagDo> tag) {
    }

    public record ListResponse(@JsonProperty("Data") ItemList<PublishInfoDo> data) {
    }

    public record PublishInfoDo(@JsonProperty("Topic") String topic, @JsonProperty("InstanceId") String instanceId,
            @JsonProperty("MessageType") int messageType, @JsonProperty("Owner") String owner,
            @JsonProperty("Relation") int relation, @JsonProperty("RelationName") String relationName,
            @JsonProperty("IndependentNaming") boolean independentNaming, @JsonProperty("Remark") String remark,
            @JsonProperty("CreateTime") long createTime, @JsonProperty("Tags") ItemList<TagDo> tags) {
    }
}
