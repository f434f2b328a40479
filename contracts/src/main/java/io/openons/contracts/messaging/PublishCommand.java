package io.openons.contracts.messaging;

import java.util.Map;

/**
 * One message to publish.
 *
 * @param instanceId    the instance ({@code ns}); null when the caller named none (resolved by topic name)
 * @param topic         the ONS topic
 * @param body          the body text (sent as its UTF-8 bytes)
 * @param tag           the tag, or null
 * @param properties    user and system properties ({@code KEYS}, {@code __STARTDELIVERTIME},
 *                      {@code __SHARDINGKEY}, {@code __TransCheckT}, ...), possibly empty
 * @param bornHost      the producing client's address {@code ip:port}
 * @param producerGroup the producer's Group ID when the protocol carries one, else null
 */
public record PublishCommand(String instanceId, String topic, String body, String tag,
        Map<String, String> properties, String bornHost, String producerGroup) {
}
