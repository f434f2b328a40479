package io.openons.contracts.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One delivery of one message to a group.
 *
 * @param msgId            the message id, unchanged across deliveries
 * @param bodyMd5          MD5 of the body's UTF-8 bytes, upper-case hex
 * @param body             the body text
 * @param receiptHandle    the single-use handle of this delivery, valid until {@code nextConsumeTime}
 * @param publishTime      when the message was stored (ms)
 * @param firstConsumeTime when the message was first delivered to this group (ms)
 * @param nextConsumeTime  when it becomes consumable again unless acked (ms)
 * @param consumedTimes    deliveries to this group so far, this one included
 * @param tag              the tag, or null
 * @param properties       user and system properties to echo ({@code KEYS}, {@code __SHARDINGKEY}, ...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsumedMessage(String msgId, String bodyMd5, String body, String receiptHandle, long publishTime,
        long firstConsumeTime, long nextConsumeTime, int consumedTimes, String tag, Map<String, String> properties) {
}
