package io.openons.resource.validation;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.error.OnsException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The documented naming rules and enumerations of resources, each checked once here. A violation raises
 * {@code BIZ_FIELD_CHECK_INVALID} with a message naming the parameter and the rule.
 */
public final class ResourceRules {

    /** Instance name: 3-64 characters; Chinese characters, letters, digits, '-' and '_'. */
    private static final Pattern INSTANCE_NAME = Pattern.compile("[\\p{IsHan}A-Za-z0-9_-]{3,64}");
    /** Topic: 3-64 characters of letters, digits, '-' and '_' (docs/decisions/0006-topic-name-rule.md). */
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{3,64}");
    /** Group ID: starts with GID_ or GID-; letters, digits, '-' and '_'; 5-64 bytes. */
    private static final Pattern GROUP_ID = Pattern.compile("GID[_-][A-Za-z0-9_-]{1,60}");
    public static final int MAX_REMARK_LENGTH = 256;
    public static final int MAX_TAG_KEY_LENGTH = 128;
    public static final int MAX_TAG_VALUE_LENGTH = 128;
    public static final Set<Integer> MESSAGE_TYPES = Set.of(0, 1, 2, 4, 5);
    public static final Set<Integer> PERMS = Set.of(2, 4, 6);
    public static final Set<String> GROUP_TYPES = Set.of("tcp", "http");

    private ResourceRules() {
    }

    public static String instanceName(String name) {
        if (name == null || !INSTANCE_NAME.matcher(name).matches()) {
            throw invalid("InstanceName \"%s\" is invalid: use 3 to 64 characters of Chinese characters, letters, "
                    + "digits, '-' and '_'.", name);
        }
        return name;
    }

    public static String topic(String topic) {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw invalid("Topic \"%s\" is invalid: use 3 to 64 characters of letters, digits, '-' and '_'.", topic);
        }
        String upper = topic.toUpperCase(Locale.ROOT);
        if (upper.startsWith("CID") || upper.startsWith("GID")) {
            throw invalid("Topic \"%s\" is invalid: a topic must not start with CID or GID, which are reserved "
                    + "for Group IDs.", topic);
        }
        return topic;
    }

    public static String groupId(String groupId) {
        if (groupId == null || !GROUP_ID.matcher(groupId).matches()
                || groupId.getBytes(StandardCharsets.UTF_8).length > 64) {
            throw invalid("GroupId \"%s\" is invalid: it must start with GID_ or GID- and have 5 to 64 characters "
                    + "of letters, digits, '-' and '_'.", groupId);
        }
        return groupId;
    }

    public static String remark(String remark) {
        if (remark != null && remark.length() > MAX_REMARK_LENGTH) {
            throw invalid("Remark is too long (%d characters): at most %d characters are allowed.",
                    remark.length(), MAX_REMARK_LENGTH);
        }
        return remark;
    }

    public static int messageType(Integer messageType) {
        if (messageType == null || !MESSAGE_TYPES.contains(messageType)) {
            throw invalid("MessageType %s is invalid: use 0 (normal), 1 (partitioned order), 2 (global order), "
                    + "4 (transactional) or 5 (scheduled/delayed).", messageType);
        }
        return messageType;
    }

    public static int perm(Integer perm) {
        if (perm == null || !PERMS.contains(perm)) {
            throw invalid("Perm %s is invalid: use 6 (read and write), 4 (write forbidden) or 2 (read forbidden).",
                    perm);
        }
        return perm;
    }

    /** GroupType, defaulting to tcp when absent. */
    public static String groupType(String groupType) {
        if (groupType == null || groupType.isEmpty()) {
            return "tcp";
        }
        if (!GROUP_TYPES.contains(groupType)) {
            throw invalid("GroupType \"%s\" is invalid: use tcp or http.", groupType);
        }
        return groupType;
    }

    /** A tag key: 1-128 characters, not starting with aliyun or acs:, without http:// or https://. */
    public static String tagKey(String key) {
        if (key == null || key.isEmpty()) {
            throw invalid("Tag key must not be empty.");
        }
        if (key.length() > MAX_TAG_KEY_LENGTH) {
            throw invalid("Tag key \"%s\" is too long: at most %d characters.", key, MAX_TAG_KEY_LENGTH);
        }
        checkTagText("Tag key", key);
        return key;
    }

    /** A tag value: like a key, but may be empty (absent means empty). */
    public static String tagValue(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        if (value.length() > MAX_TAG_VALUE_LENGTH) {
            throw invalid("Tag value \"%s\" is too long: at most %d characters.", value, MAX_TAG_VALUE_LENGTH);
        }
        checkTagText("Tag value", value);
        return value;
    }

    private static void checkTagText(String what, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("aliyun") || lower.startsWith("acs:")) {
            throw invalid("%s \"%s\" is invalid: it must not start with aliyun or acs:.", what, text);
        }
        if (lower.contains("http://") || lower.contains("https://")) {
            throw invalid("%s \"%s\" is invalid: it must not contain http:// or https://.", what, text);
        }
    }

    public static OnsException invalid(String template, Object... args) {
        return OnsError.FIELD_CHECK_INVALID.exception(String.format(template, args));
    }
}
