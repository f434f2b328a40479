package io.openons.message.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.error.OnsException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message rules by topic MessageType. */
class MessageRulesTest {

    private static final long NOW = 1_700_000_000_000L;

    private static String reject(int type, String body, String tag, Map<String, String> props) {
        OnsException e = assertThrows(OnsException.class, () -> MessageRules.check(type, "T", body, tag, props, NOW));
        assertEquals("InvalidArgument", e.code());
        return e.getMessage();
    }

    @Test
    void bodySizesFollowTheTopicType() {
        String fourMb = "x".repeat(MessageRules.MAX_BODY_BYTES);
        assertEquals(MessageRules.MAX_BODY_BYTES, MessageRules.check(0, "T", fourMb, null, Map.of(), NOW).body().length);
        assertTrue(reject(0, fourMb + "x", null, Map.of()).contains("at most 4194304"));
        String small = "x".repeat(MessageRules.MAX_SMALL_BODY_BYTES + 1);
        reject(5, small, null, Map.of());
        reject(4, small, null, Map.of("__TransCheckT", "10"));
        assertEquals(3, MessageRules.check(0, "T", "中", null, Map.of(), NOW).body().length, "UTF-8 bytes count");
        reject(0, "", null, Map.of());
    }

    @Test
    void specialPropertiesNeedTheirTopicType() {
        reject(0, "b", null, Map.of("__TransCheckT", "10"));
        reject(0, "b", null, Map.of("__STARTDELIVERTIME", Long.toString(NOW + 1000)));
        reject(4, "b", null, Map.of());
        reject(4, "b", null, Map.of("__TransCheckT", "9"));
        reject(4, "b", null, Map.of("__TransCheckT", "301"));
        assertEquals(300, MessageRules.check(4, "T", "b", null, Map.of("__TransCheckT", "300"), NOW)
                .checkImmunitySeconds());
        reject(1, "b", null, Map.of());
        reject(2, "b", null, Map.of());
        assertEquals("k", MessageRules.check(1, "T", "b", null, Map.of("__SHARDINGKEY", "k"), NOW).shardingKey());
        long at = NOW + 40L * 24 * 3_600_000;
        assertEquals(at, MessageRules.check(5, "T", "b", null, Map.of("__STARTDELIVERTIME", Long.toString(at)), NOW)
                .deliverAt());
        reject(5, "b", null, Map.of("__STARTDELIVERTIME", Long.toString(at + 1)));
        reject(5, "b", null, Map.of("__STARTDELIVERTIME", "soon"));
        assertNull(MessageRules.check(5, "T", "b", null, Map.of("__STARTDELIVERTIME", Long.toString(NOW - 5)), NOW)
                .deliverAt(), "a time in the past delivers at once");
    }

    @Test
    void tagsAndPropertiesAreChecked() {
        assertEquals("TagA", MessageRules.check(0, "T", "b", "TagA", Map.of(), NOW).tag());
        assertNull(MessageRules.check(0, "T", "b", "", Map.of(), NOW).tag());
        MessageRules.check(0, "T", "b", "t".repeat(64), Map.of(), NOW);
        reject(0, "b", "t".repeat(65), Map.of());
        reject(0, "b", "a||b", Map.of());
        reject(0, "b", null, Map.of("k", "v|w"));
        reject(0, "b", null, Map.of("big", "v".repeat(MessageRules.MAX_PROPERTIES_BYTES)));
    }
}
