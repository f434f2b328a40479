package io.openons.message.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message properties as the MQ HTTP protocol writes them ({@code key:value|key:value|}) and the rules for
 * them: keys and values non-empty, none of {@code & " ' < > : |} (the SDKs refuse them client-side).
 */
public final class MessageProperties {

    /** Message key(s), several separated by a space. */
    public static final String KEYS = "KEYS";
    /** Absolute epoch-ms delivery time of a scheduled/delayed message. */
    public static final String START_DELIVER_TIME = "__STARTDELIVERTIME";
    /** Partition (sharding) key of an ordered message. */
    public static final String SHARDING_KEY = "__SHARDINGKEY";
    /** Marks a transactional half message: seconds until its first check (10..300). */
    public static final String TRANS_CHECK_IMMUNITY = "__TransCheckT";
    private static final String FORBIDDEN = "&\"'<>:|";

    private MessageProperties() {
    }

    /** Parses the protocol's text: split on {@code |}, keep items that split on {@code :} into exactly two parts. */
    public static Map<String, String> parse(String text) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return properties;
        }
        for (String item : text.split("\\|")) {
            if (item.isEmpty()) {
                continue;
            }
            String[] kv = item.split(":", -1);
            if (kv.length == 2) {
                properties.put(kv[0], kv[1]);
            }
        }
        return properties;
    }

    /** Writes properties as the protocol does, every entry followed by {@code |}; null when there are none. */
    public static String format(Map<String, String> properties) {
        if (properties == null || properties.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append(':').append(v).append('|'));
        return text.toString();
    }

    /** The first rule a key or value breaks, or null when it is acceptable. */
    public static String violation(String key, String value) {
        if (key == null || key.isEmpty()) {
            return "a property name is empty";
        }
        if (value == null || value.isEmpty()) {
            return "the property \"" + key + "\" has an empty value";
        }
        for (int i = 0; i < FORBIDDEN.length(); i++) {
            char c = FORBIDDEN.charAt(i);
            if (key.indexOf(c) >= 0) {
                return "the property name \"" + key + "\" contains '" + c + "'; names and values must not contain "
                        + "any of & \" ' < > : |";
            }
            if (value.indexOf(c) >= 0) {
                return "the value of property \"" + key + "\" contains '" + c + "'; names and values must not "
                        + "contain any of & \" ' < > : |";
            }
        }
        return null;
    }

    /** The size of the properties as the protocol serialises them, in UTF-8 bytes. */
    public static int serializedSize(Map<String, String> properties) {
        String text = format(properties);
        return text == null ? 0 : text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
