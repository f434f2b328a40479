package io.openons.trace.trace;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.openons.service.api.ItemList;

/**
 * The trace of one message as OnsTraceGetResult returns it ({@code TraceData.TraceList.TraceMapDo[]}): the publish
 * record and, per consuming group, each delivery. Fields without a value are left out.
 */
@JsonPropertyOrder({"MsgId", "Topic", "Tag", "MsgKey", "PubGroupName", "BornHost", "PubTime", "CostTime", "Status",
        "SubList"})
public record TraceMapDo(
        @JsonProperty("MsgId") String msgId,
        @JsonProperty("Topic") String topic,
        @JsonProperty("Tag") String tag,
        @JsonProperty("MsgKey") String msgKey,
        @JsonProperty("PubGroupName") String pubGroupName,
        @JsonProperty("BornHost") String bornHost,
        @JsonProperty("PubTime") Long pubTime,
        @JsonProperty("CostTime") Integer costTime,
        @JsonProperty("Status") String status,
        @JsonProperty("SubList") ItemList<SubMapDo> subList) {

    /** One consuming group of the message ({@code SubList.SubMapDo[]}). */
    @JsonPropertyOrder({"SubGroupName", "SuccessCount", "FailCount", "ClientList"})
    public record SubMapDo(
            @JsonProperty("SubGroupName") String subGroupName,
            @JsonProperty("SuccessCount") int successCount,
            @JsonProperty("FailCount") int failCount,
            @JsonProperty("ClientList") ItemList<SubClientInfoDo> clientList) {
    }

    /** One delivery attempt to a client of the group ({@code ClientList.SubClientInfoDo[]}). */
    @JsonPropertyOrder({"SubGroupName", "ClientHost", "SubTime", "ReconsumeTimes", "CostTime", "Status"})
    public record SubClientInfoDo(
            @JsonProperty("SubGroupName") String subGroupName,
            @JsonProperty("ClientHost") String clientHost,
            @JsonProperty("SubTime") Long subTime,
            @JsonProperty("ReconsumeTimes") Integer reconsumeTimes,
            @JsonProperty("CostTime") Integer costTime,
            @JsonProperty("Status") String status) {
    }
}
