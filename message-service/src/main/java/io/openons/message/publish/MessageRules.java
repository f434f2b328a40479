package io.openons.message.publish;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.error.OnsException;
import io.openons.message.model.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules a published message must follow, checked against the topic's MessageType (DECISIONS.md, ons-client-sdk
 * §4, mq-http-protocol §5, §8, §9): body size, tag, properties, and which special properties each type needs
 * or forbids. Every violation is {@code InvalidArgument} with a message that says what to fix.
 */
public final class MessageRules {

    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    public static final int MAX_SMALL_BODY_BYTES = 64 * 1024;
    public static final int MAX_PROPERTIES_BYTES = 16 * 1024;
    public static final int MAX_TAG_LENGTH = 64;
    public static final long MAX_DELAY_MILLIS = Duration.ofDays(40).toMillis();
    public static final int MIN_CHECK_IMMUNITY_SECONDS = 10;
    public static final int MAX_CHECK_IMMUNITY_SECONDS = 300;

    public static final int NORMAL = 0;
    public static final int PARTITION_ORDER = 1;
    public static final int GLOBAL_ORDER = 2;
    public static final int TRANSACTIONAL = 4;
    public static final int DELAYED = 5;

    private MessageRules() {
    }

    /**
     * A message that passed the rules.
     *
     * @param deliverAt          absolute delivery time when in the future, else null
     * @param shardingKey        the sharding key, or null
     * @param checkImmunitySeconds for a transactional half message, seconds until its first check; else null
     */
    public record Checked(byte[] body, String tag, Map<String, String> properties, Long deliverAt,
            String shardingKey, Integer checkImmunitySeconds) {
    }

    public static Checked check(int messageType, String topic, String body, String tag, Map<String, String> given,
            long now) {
        if (body == null || body.isEmpty()) {
            throw invalid("The message body is empty; a message needs a body.");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int limit = messageType == TRANSACTIONAL || messageType == DELAYED ? MAX_SMALL_BODY_BYTES : MAX_BODY_BYTES;
        if (bytes.length > limit) {
            throw invalid("The message body has %d bytes; topic \"%s\" (MessageType %d) accepts at most %d bytes.",
                    bytes.length, topic, messageType, limit);
        }
        String checkedTag = tag == null || tag.isEmpty() ? null : tag;
        if (checkedTag != null) {
            if (checkedTag.length() > MAX_TAG_LENGTH) {
                throw invalid("The tag has %d characters; at most %d are allowed.", checkedTag.length(), MAX_TAG_LENGTH);
            }
            if (checkedTag.contains("||") || checkedTag.equals("*") || !checkedTag.strip().equals(checkedTag)) {
                throw invalid("The tag \"%s\" is invalid: a message has one tag, without '||', '*' or surrounding "
                        + "spaces.", checkedTag);
            }
        }
        Map<String, String> properties = new LinkedHashMap<>(given == null ? Map.of() : given);
        for (Map.Entry<String, String> p : properties.entrySet()) {
            String violation = MessageProperties.violation(p.getKey(), p.getValue());
            if (violation != null) {
                throw invalid("Invalid message property: %s.", violation);
            }
        }
        int propertyBytes = MessageProperties.serializedSize(properties);
        if (propertyBytes > MAX_PROPERTIES_BYTES) {
            throw invalid("The message properties take %d bytes; at most %d bytes are allowed.", propertyBytes,
                    MAX_PROPERTIES_BYTES);
        }

        Long deliverAt = null;
        String start = properties.get(MessageProperties.START_DELIVER_TIME);
        if (start != null) {
            long at = parseLong(start, MessageProperties.START_DELIVER_TIME,
                    "an absolute time in epoch milliseconds");
            if (at - now > MAX_DELAY_MILLIS) {
                throw invalid("%s is %d, more than 40 days ahead; the maximum delay is 40 days.",
                        MessageProperties.START_DELIVER_TIME, at);
            }
            if (messageType != DELAYED) {
                throw invalid("Topic \"%s\" has MessageType %d; scheduled and delayed messages (%s) need a topic of "
                        + "MessageType 5.", topic, messageType, MessageProperties.START_DELIVER_TIME);
            }
            deliverAt = at > now ? at : null;
        }

        Integer immunity = null;
        String trans = properties.get(MessageProperties.TRANS_CHECK_IMMUNITY);
        if (trans != null) {
            long s = parseLong(trans, MessageProperties.TRANS_CHECK_IMMUNITY, "a number of seconds");
            if (s < MIN_CHECK_IMMUNITY_SECONDS || s > MAX_CHECK_IMMUNITY_SECONDS) {
                throw invalid("%s is %d; the transaction check immunity time must be %d to %d seconds.",
                        MessageProperties.TRANS_CHECK_IMMUNITY, s, MIN_CHECK_IMMUNITY_SECONDS,
                        MAX_CHECK_IMMUNITY_SECONDS);
            }
            if (messageType != TRANSACTIONAL) {
                throw invalid("Topic \"%s\" has MessageType %d; transactional messages (%s) need a topic of "
                        + "MessageType 4.", topic, messageType, MessageProperties.TRANS_CHECK_IMMUNITY);
            }
            immunity = (int) s;
        } else if (messageType == TRANSACTIONAL) {
            throw invalid("Topic \"%s\" is transactional (MessageType 4); publish with a transaction producer "
                    + "(property %s, the check immunity time in seconds).", topic,
                    MessageProperties.TRANS_CHECK_IMMUNITY);
        }

        String shardingKey = properties.get(MessageProperties.SHARDING_KEY);
        if ((messageType == PARTITION_ORDER || messageType == GLOBAL_ORDER) && shardingKey == null) {
            throw invalid("Topic \"%s\" is ordered (MessageType %d); give every message a sharding key (%s).",
                    topic, messageType, MessageProperties.SHARDING_KEY);
        }
        return new Checked(bytes, checkedTag, properties, deliverAt, shardingKey, immunity);
    }

    private static long parseLong(String value, String name, String what) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalid("%s is \"%s\"; it must be %s.", name, value, what);
        }
    }

    private static OnsException invalid(String template, Object... args) {
        return OnsError.MQ_INVALID_ARGUMENT.exception(String.format(template, args));
    }
}
