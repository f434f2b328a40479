package io.openons.service.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A resource tag as the API writes it ({@code Tags.Tag[]} items) and as the gateway passes tag filters. */
public record TagDo(@JsonProperty("Key") String key, @JsonProperty("Value") String value) {
}
