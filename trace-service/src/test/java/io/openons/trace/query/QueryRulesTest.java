package io.openons.trace.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.error.OnsException;
import org.junit.jupiter.api.Test;

class QueryRulesTest {

    @Test
    void aKeyWithASpaceIsRefusedBecauseKeysAreSeparatedBySpaces() {
        OnsException e = assertThrows(OnsException.class, () -> QueryRules.msgKey("ORDER 1"));
        assertEquals("InvalidParameter", e.code());
        assertTrue(e.getMessage().contains("give one key per query"), e.getMessage());
        assertEquals("ORDER_1", QueryRules.msgKey("ORDER_1"));
    }

    @Test
    void blankValuesAreMissing() {
        assertEquals("MissingParameter", assertThrows(OnsException.class, () -> QueryRules.msgId(" ")).code());
        assertEquals("MissingParameter", assertThrows(OnsException.class, () -> QueryRules.queryId(null)).code());
        assertEquals("MissingParameter",
                assertThrows(OnsException.class, () -> QueryRules.required("Topic", "")).code());
    }

    @Test
    void anOverlongMessageIdIsRefusedWithAShortenedEcho() {
        OnsException e = assertThrows(OnsException.class, () -> QueryRules.msgId("A".repeat(500)));
        assertEquals("InvalidParameter", e.code());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        assertEquals("0A0B0C0D0E0F00000000000000000001", QueryRules.msgId("0A0B0C0D0E0F00000000000000000001"));
    }
}
