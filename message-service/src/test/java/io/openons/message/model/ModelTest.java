package io.openons.message.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Tag expressions, property encoding, message ids and body digests. */
class ModelTest {

    @Test
    void tagExpressions() {
        assertTrue(TagExpression.parse(null).matches(null));
        assertTrue(TagExpression.parse("*").matches("anything"));
        assertTrue(TagExpression.parse("").matchesAll());
        TagExpression ab = TagExpression.parse("TagA || TagB");
        assertTrue(ab.matches("TagA"));
        assertTrue(ab.matches("TagB"));
        assertFalse(ab.matches("TagC"));
        assertFalse(ab.matches(null), "an untagged message does not match a tag list");
        assertFalse(TagExpression.parse("TagA").matches("taga"), "tags are case-sensitive");
        assertThrows(IllegalArgumentException.class, () -> TagExpression.parse("TagA||"));
        assertThrows(IllegalArgumentException.class, () -> TagExpression.parse("TagA||*"));
    }

    @Test
    void propertiesFollowTheProtocolsEncoding() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("KEYS", "k1");
        p.put("a", "1");
        assertEquals("KEYS:k1|a:1|", MessageProperties.format(p));
        assertEquals(p, MessageProperties.parse("KEYS:k1|a:1|"));
        assertEquals(Map.of("a", "1"), MessageProperties.parse("|a:1||broken|x:y:z|"), "the SDKs' parsing rule");
        assertNull(MessageProperties.format(Map.of()));
        assertNull(MessageProperties.violation("color", "red"));
        for (String bad : new String[] {"&", "\"", "'", "<", ">", ":", "|"}) {
            assertTrue(MessageProperties.violation("k" + bad, "v") != null, bad);
            assertTrue(MessageProperties.violation("k", "v" + bad) != null, bad);
        }
        assertTrue(MessageProperties.violation("", "v") != null);
        assertTrue(MessageProperties.violation("k", "") != null);
        assertEquals(12, MessageProperties.serializedSize(p));
    }

    @Test
    void messageIdsAreRocketMqStyleAndUnique() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 4).parallel().forEach(t -> {
            for (int i = 0; i < 50_000; i++) {
                ids.add(MessageIds.next());
            }
        });
        assertEquals(200_000, ids.size(), "no duplicate among 200,000 ids made concurrently");
        for (String id : new HashSet<>(ids).stream().limit(100).toList()) {
            assertTrue(id.matches("[0-9A-F]{32}"), id);
            assertTrue(MessageIds.isWellFormed(id));
        }
        assertEquals(MessageIds.forPosition("I.T", 1, 42), MessageIds.forPosition("I.T", 1, 42),
                "a record without id gets the same id whenever it is indexed");
        assertFalse(MessageIds.forPosition("I.T", 1, 42).equals(MessageIds.forPosition("I.T", 1, 43)));
        assertFalse(MessageIds.isWellFormed("XYZ"));
    }

    @Test
    void digests() {
        assertEquals("5D41402ABC4B2A76B9719D911017C592", Digests.md5Hex("hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0x3610A686, Digests.crc32("hello".getBytes(StandardCharsets.UTF_8)));
    }
}
