package io.openons.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worked examples of mq-http-protocol.md §3. */
class MqHttpSignatureTest {

    private static final String DATE = "Mon, 02 Jan 2023 15:04:05 GMT";

    private static Map<String, String> javaSdkHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("date", DATE);
        h.put("content-type", "text/xml;charset=UTF-8");
        h.put("x-mq-version", "2015-06-06");
        h.put("Host", "localhost");
        h.put("User-Agent", "mq-java-sdk/1.0.3.2");
        return h;
    }

    private static String signed(String method, Map<String, String> headers, String resource) {
        return MqHttpSignature.sign("testsecret", MqHttpSignature.stringToSign(method, headers, resource));
    }

    @Test
    void publish() {
        String sts = MqHttpSignature.stringToSign("POST", javaSdkHeaders(), "/topics/TopicA/messages?ns=MQ_INST_123_abc");
        assertEquals("POST\n\ntext/xml;charset=UTF-8\n" + DATE + "\nx-mq-version:2015-06-06\n"
                + "/topics/TopicA/messages?ns=MQ_INST_123_abc", sts);
        assertEquals("bpTvEPFMb8V8V3LvrcjaSDmJPUo=", MqHttpSignature.sign("testsecret", sts));
        assertTrue(MqHttpSignature.verify("testsecret", sts, "bpTvEPFMb8V8V3LvrcjaSDmJPUo="));
    }

    @Test
    void consume() {
        assertEquals("3+SLx21ow7rmJ0I5scRbIx5/lbI=", signed("GET", javaSdkHeaders(),
                "/topics/TopicA/messages?numOfMessages=3&consumer=GID_test&ns=MQ_INST_123_abc"
                        + "&tag=TagA%7C%7CTagB&waitseconds=3"));
    }

    @Test
    void ack() {
        assertEquals("U+C6SkwX11w14oP66t0JLu9MAU8=", signed("DELETE", javaSdkHeaders(),
                "/topics/TopicA/messages?consumer=GID_test&ns=MQ_INST_123_abc"));
    }

    @Test
    void consumeWithoutNamespace() {
        assertEquals("grvza//gzK5Br24enwYupJMa90Q=", signed("GET", javaSdkHeaders(),
                "/topics/TopicA/messages?numOfMessages=1&consumer=GID_test"));
    }

    @Test
    void goStyleWithContentMd5AndExtraMqHeader() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww==");
        h.put("Content-Type", "text/xml;charset=utf-8");
        h.put("Date", DATE);
        h.put("X-MQ-Trace", "abc");
        h.put("x-mq-version", "2015-06-06");
        assertEquals("zKXg9wFleaCnoGPpAhqnTLWUXlo=", signed("POST", h, "/topics/TopicA/messages"));
    }
}
