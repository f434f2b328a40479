package io.openons.message.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.openons.service.api.ItemList;

/**
 * A message as the query Actions answer it (MessageObject of the API reference, with the fields the official
 * SDK also reads: OffsetId, Body, Flag). {@code PropertyList} is wrapped ({@code MessageProperty} items); the
 * gateway unwraps it for OnsMessageDetail, whose SDK class reads bare arrays.
 */
public record MessageObject(
        @JsonProperty("MsgId") String msgId,
        @JsonProperty("InstanceId") String instanceId,
        @JsonProperty("Topic") String topic,
        @JsonProperty("OffsetId") String offsetId,
        @JsonProperty("StoreSize") int storeSize,
        @JsonProperty("ReconsumeTimes") int reconsumeTimes,
        @JsonProperty("StoreTimestamp") long storeTimestamp,
        @JsonProperty("BornTimestamp") long bornTimestamp,
        @JsonProperty("StoreHost") String storeHost,
        @JsonProperty("BornHost") String bornHost,
        @JsonProperty("BodyCRC") int bodyCrc,
        @JsonProperty("Flag") int flag,
        @JsonProperty("Body") String body,
        @JsonProperty("PropertyList") ItemList<MessageProperty> propertyList) {

    /** One property ({@code Name}, {@code Value}). */
    public record MessageProperty(@JsonProperty("Name") String name, @JsonProperty("Value") String value) {
    }
}
