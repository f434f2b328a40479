package io.openons.message.kafka;

import io.openons.message.model.MessageIds;
import io.openons.message.model.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The convention that carries a message's metadata in Kafka record headers (docs/kafka-native-clients.md):
 * every header is a message property, named as in RocketMQ, with a UTF-8 value. A few names have a meaning:
 * <ul>
 * <li>{@code UNIQ_KEY}: the message id (when absent, one is derived from the record's position);</li>
 * <li>{@code TAGS}: the tag; {@code KEYS}: the key(s), space-separated;</li>
 * <li>{@code __STARTDELIVERTIME}, {@code __SHARDINGKEY}, {@code __TransCheckT}: as in the MQ HTTP protocol;</li>
 * <li>{@code __BORNHOST}, {@code __BORNTIMESTAMP}, {@code __PGROUP}: producer address, time and Group ID
 * (bookkeeping, not echoed as properties).</li>
 * </ul>
 * The record value is the body; the record timestamp is the store time.
 */
public final class MessageHeaders {

    public static final String MSG_ID = "UNIQ_KEY";
    public static final String TAGS = "TAGS";
    public static final String KEYS = MessageProperties.KEYS;
    public static final String BORN_HOST = "__BORNHOST";
    public static final String BORN_TIMESTAMP = "__BORNTIMESTAMP";
    public static final String PRODUCER_GROUP = "__PGROUP";

    private MessageHeaders() {
    }

    /** Headers for a message published through the suite. */
    public static List<Header> of(String msgId, String tag, Map<String, String> properties, String bornHost,
            long bornTimestamp, String producerGroup) {
        List<Header> headers = new ArrayList<>(properties.size() + 5);
        headers.add(header(MSG_ID, msgId));
        if (tag != null && !tag.isEmpty()) {
            headers.add(header(TAGS, tag));
        }
        properties.forEach((k, v) -> headers.add(header(k, v)));
        if (bornHost != null) {
            headers.add(header(BORN_HOST, bornHost));
        }
        headers.add(header(BORN_TIMESTAMP, Long.toString(bornTimestamp)));
        if (producerGroup != null) {
            headers.add(header(PRODUCER_GROUP, producerGroup));
        }
        return headers;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** What a record's headers say about its message. */
    public record Decoded(String msgId, String tag, List<String> keys, Map<String, String> properties,
            String bornHost, long bornTimestamp, String producerGroup, Long deliverAt) {
    }

    /** Reads the convention from any record, including those of plain Kafka producers. */
    public static Decoded decode(ConsumerRecord<?, ?> record) {
        Headers headers = record.headers();
        String msgId = null;
        String tag = null;
        String keys = null;
        String bornHost = null;
        String producerGroup = null;
        long bornTimestamp = record.timestamp();
        Map<String, String> properties = new LinkedHashMap<>();
        for (Header h : headers) {
            String value = h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
            switch (h.key()) {
                case MSG_ID -> msgId = value;
                case TAGS -> tag = value;
                case BORN_HOST -> bornHost = value;
                case PRODUCER_GROUP -> producerGroup = value;
                case BORN_TIMESTAMP -> {
                    try {
                        bornTimestamp = Long.parseLong(value.trim());
                    } catch (NumberFormatException e) {
                        // a foreign producer's malformed value: keep the record timestamp
                    }
                }
                default -> {
                    if (h.key().equals(KEYS)) {
                        keys = value;
                    }
                    properties.put(h.key(), value);
                }
            }
        }
        if (msgId == null || msgId.isBlank() || msgId.length() > 64) {
            msgId = MessageIds.forPosition(record.topic(), record.partition(), record.offset());
        }
        List<String> keyList = new ArrayList<>();
        if (keys != null) {
            for (String k : keys.split(" ")) {
                if (!k.isEmpty()) {
                    keyList.add(k);
                }
            }
        }
        Long deliverAt = null;
        String start = properties.get(MessageProperties.START_DELIVER_TIME);
        if (start != null) {
            try {
                long at = Long.parseLong(start.trim());
                if (at > record.timestamp()) {
                    deliverAt = at;
                }
            } catch (NumberFormatException e) {
                // not a time: deliver at once
            }
        }
        return new Decoded(msgId, tag == null || tag.isEmpty() ? null : tag, keyList, properties, bornHost,
                bornTimestamp, producerGroup, deliverAt);
    }
}
