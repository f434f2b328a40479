package io.openons.resource.region;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.openons.contracts.operation.InternalApi;
import io.openons.service.api.ItemList;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Region discovery. */
@Path(InternalApi.OPERATIONS_PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Regions")
public class RegionResource {

    private final RegionService regions;

    RegionResource(RegionService regions) {
        this.regions = regions;
    }

    @POST
    @Path("OnsRegionList")
    @Operation(operationId = "OnsRegionList", summary = "OnsRegionList: the regions this installation serves")
    public RegionListResponse regionList() {
        return new RegionListResponse(ItemList.of("RegionDo", regions.regions().stream()
                .map(r -> new RegionDo(r.id(), r.name())).toList()));
    }

    public record RegionListResponse(@JsonProperty("Data") ItemList<RegionDo> data) {
    }

    public record RegionDo(@JsonProperty("OnsRegionId") String onsRegionId,
            @JsonProperty("RegionName") String regionName) {
    }
}
