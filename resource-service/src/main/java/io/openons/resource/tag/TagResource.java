package io.openons.resource.tag;

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

/** Tag Actions: TagResources, ListTagResources, UntagResources. */
@Path(InternalApi.OPERATIONS_PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tags")
public class TagResource {

    private final TagService tags;
    private final CallerContext caller;

    TagResource(TagService tags, CallerContext caller) {
        this.tags = tags;
        this.caller = caller;
    }

    @POST
    @Path("TagResources")
    @Operation(operationId = "TagResources", summary = "TagResources: bind tags to instances, topics or groups")
    public void tagResources(TagRequest request) {
        tags.tag(caller.accountId(), caller.regionId(), request.resourceType(), request.instanceId(),
                request.resourceId(), request.tag());
    }

    @POST
    @Path("UntagResources")
    @Operation(operationId = "UntagResources", summary = "UntagResources: unbind tags from resources")
    public void untagResources(UntagRequest request) {
        tags.untag(caller.accountId(), caller.regionId(), request.resourceType(), request.instanceId(),
                request.resourceId(), request.tagKey(), request.all());
    }

    @POST
    @Path("ListTagResources")
    @Operation(operationId = "ListTagResources", summary = "ListTagResources: tag bindings, paged by NextToken")
    public ListResponse listTagResources(ListRequest request) {
        TagService.Page page = tags.list(caller.accountId(), caller.regionId(), request.resourceType(),
                request.instanceId(), request.resourceId(), request.tag(), request.nextToken());
        List<TagResourceDo> items = page.bindings().stream()
                .map(b -> new TagResourceDo(b.resourceType.apiName(), b.instanceId, b.resourceId, b.tagKey,
                        b.tagValue))
                .toList();
        return new ListResponse(page.nextToken(), ItemList.of("TagResource", items));
    }

    public record TagRequest(@JsonProperty("ResourceType") String resourceType,
            @JsonProperty("InstanceId") String instanceId, @JsonProperty("ResourceId") List<String> resourceId,
            @JsonProperty("Tag") List<TagDo> tag) {
    }

    public record UntagRequest(@JsonProperty("ResourceType") String resourceType,
            @JsonProperty("InstanceId") String instanceId, @JsonProperty("ResourceId") List<String> resourceId,
            @JsonProperty("TagKey") List<String> tagKey, @JsonProperty("All") Boolean all) {
    }

    public record ListRequest(@JsonProperty("ResourceType") String resourceType,
            @JsonProperty("InstanceId") String instanceId, @JsonProperty("ResourceId") List<String> resourceId,
            @JsonProperty("Tag") List<TagDo> tag, @JsonProperty("NextToken") String nextToken) {
    }

    /** The bindings are wrapped here; the gateway writes them bare for this Action, as its SDK reads them. */
    public record ListResponse(@JsonProperty("NextToken") String nextToken,
            @JsonProperty("TagResources") ItemList<TagResourceDo> tagResources) {
    }

    public record TagResourceDo(@JsonProperty("ResourceType") String resourceType,
            @JsonProperty("InstanceId") String instanceId, @JsonProperty("ResourceId") String resourceId,
            @JsonProperty("TagKey") String tagKey, @JsonProperty("TagValue") String tagValue) {
    }
}
