package io.openons.stats.trend;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.openons.service.api.ItemList;

/** The {@code Data} of both trend Actions: a chart's title, units and points ({@code Records.StatsDataDo[]}). */
@JsonPropertyOrder({"Title", "XUnit", "YUnit", "Records"})
public record TrendData(@JsonProperty("Title") String title, @JsonProperty("XUnit") String xUnit,
        @JsonProperty("YUnit") String yUnit, @JsonProperty("Records") ItemList<StatsDataDo> records) {
}
