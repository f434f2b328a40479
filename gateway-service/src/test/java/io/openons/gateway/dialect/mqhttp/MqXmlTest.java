package io.openons.gateway.dialect.mqhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.contracts.error.OnsException;
import io.openons.contracts.messaging.AckResult;
import io.openons.contracts.messaging.ConsumedMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol's XML: requests by local names whatever the namespace, responses exactly as the SDKs parse. */
class MqXmlTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesPublishBodiesOfEverySdk() {
        MqXml.PublishedMessage java = MqXml.parseMessage(utf8("<?xml version=\"1.0\" encoding=\"UTF-8\" "
                + "standalone=\"no\"?><Message xmlns=\"http://mq.aliyuncs.com/doc/v1\"><MessageBody>hello &lt;&amp;&gt;"
                + "\"' 中文&#13;&#128512;</MessageBody><MessageTag>TagA</MessageTag><Properties>a:1|KEYS:k1|</Properties>"
                + "</Message>"));
        assertEquals("hello <&>\"' 中文\r😀", java.body());
        assertEquals("TagA", java.tag());
        assertEquals("a:1|KEYS:k1|", java.properties());
        MqXml.PublishedMessage python = MqXml.parseMessage(utf8("<Message xmlns=\"http://mq.aliyuncs.com/doc/v1/\">"
                + "<MessageBody>x</MessageBody><Properties>b:2|</Properties><MessageTag>T</MessageTag></Message>"));
        assertEquals("x", python.body());
        assertEquals("T", python.tag());
        assertEquals("", MqXml.parseMessage(utf8("<Message><MessageBody/></Message>")).body());
        assertNull(MqXml.parseMessage(utf8("<Message><MessageBody>x</MessageBody></Message>")).tag());
    }

    @Test
    void rejectsMalformedXmlControlCharactersAndEntities() {
        for (String bad : List.of("<Message><MessageBody>x</Message>", "not xml", "",
                "<Message><MessageBody>a&#1;b</MessageBody></Message>", "<Other/>",
                "<!DOCTYPE m [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Message><MessageBody>&e;</MessageBody></Message>")) {
            OnsException e = assertThrows(OnsException.class, () -> MqXml.parseMessage(utf8(bad)), bad);
            assertEquals("MalformedXML", e.code());
        }
    }

    @Test
    void parsesReceiptHandles() {
        assertEquals(List.of("h1", "h2"), MqXml.parseReceiptHandles(utf8("<?xml version=\"1.0\"?><ReceiptHandles "
                + "xmlns=\"http://mq.aliyuncs.com/doc/v1\"><ReceiptHandle>h1</ReceiptHandle><ReceiptHandle>h2"
                + "</ReceiptHandle></ReceiptHandles>")));
        assertThrows(OnsException.class, () -> MqXml.parseReceiptHandles(utf8("<Message/>")));
    }

    @Test
    void writesResponsesWithTheExactNamespaceAndEscapes() {
        String error = new String(MqXml.error("MessageNotExist", "Message not exist.", "R1", "http://h"),
                StandardCharsets.UTF_8);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error xmlns=\"http://mq.aliyuncs.com/doc/v1\">"
                + "<Code>MessageNotExist</Code><Message>Message not exist.</Message><RequestId>R1</RequestId>"
                + "<HostId>http://h</HostId></Error>", error);
        String messages = new String(MqXml.messages(List.of(new ConsumedMessage("ID", "MD5", "a<b&\r\u0001😀",
                "H", 1, 2, 3, 1, null, Map.of("KEYS", "k")))), StandardCharsets.UTF_8);
        assertTrue(messages.contains("<Messages xmlns=\"http://mq.aliyuncs.com/doc/v1\"><Message><MessageId>ID"
                + "</MessageId><MessageBodyMD5>MD5</MessageBodyMD5><MessageBody>a&lt;b&amp;&#13;\uFFFD😀</MessageBody>"
                + "<ReceiptHandle>H</ReceiptHandle><PublishTime>1</PublishTime><FirstConsumeTime>2</FirstConsumeTime>"
                + "<NextConsumeTime>3</NextConsumeTime><ConsumedTimes>1</ConsumedTimes><Properties>KEYS:k|"
                + "</Properties></Message></Messages>"), messages);
        assertTrue(!messages.contains("MessageTag"), "no MessageTag element when the message has no tag");
        String errors = new String(MqXml.ackErrors(List.of(new AckResult.Failure("h<2>", "ReceiptHandleError",
                "The receipt handle you provide is not valid."))), StandardCharsets.UTF_8);
        assertTrue(errors.contains("<Errors xmlns=\"http://mq.aliyuncs.com/doc/v1\"><Error><ErrorCode>"
                + "ReceiptHandleError</ErrorCode><ErrorMessage>The receipt handle you provide is not valid."
                + "</ErrorMessage><ReceiptHandle>h&lt;2&gt;</ReceiptHandle></Error></Errors>"), errors);
    }
}
