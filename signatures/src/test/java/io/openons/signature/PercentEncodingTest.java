package io.openons.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PercentEncodingTest {

    @Test
    void keepsUnreservedCharacters() {
        assertEquals("AZaz09-_.~", PercentEncoding.encode("AZaz09-_.~"));
    }

    @Test
    void encodesEverythingElseWithUpperCaseHex() {
        assertEquals("%20%2A%2B%2F%3A%3D%26%E4%B8%AD%22", PercentEncoding.encode(" *+/:=&中\""));
    }

    @Test
    void matchesTheReferenceImplementationOfTheApiDocument() {
        String sample = "a b*c~d+e/f=g&h:i中😀!'()";
        String reference = URLEncoder.encode(sample, StandardCharsets.UTF_8)
                .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
        assertEquals(reference, PercentEncoding.encode(sample));
    }
}
