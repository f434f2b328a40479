package io.openons.gateway.dialect.mqhttp;

import com.ctc.wstx.stax.WstxInputFactory;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.messaging.AckResult;
import io.openons.contracts.messaging.ConsumedMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The XML of the MQ HTTP protocol (mq-http-protocol.md §4-§7, §12): requests parsed by local element names,
 * ignoring namespaces and element order, with DTDs and external entities off; responses written with the
 * namespace {@code http://mq.aliyuncs.com/doc/v1} (no trailing slash) on every root, unprefixed element names,
 * escaped text and no whitespace inside numbers.
 */
public final class MqXml {

    public static final String NAMESPACE = "http://mq.aliyuncs.com/doc/v1";
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    private static final XMLInputFactory INPUT = inputFactory();

    private MqXml() {
    }

    /** A message to publish as the request body carries it. */
    public record PublishedMessage(String body, String tag, String properties) {
    }

    public static PublishedMessage parseMessage(byte[] xml) {
        String body = null;
        String tag = null;
        String properties = null;
        boolean root = false;
        try {
            XMLStreamReader r = reader(xml);
            int depth = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String name = r.getLocalName();
                    if (depth == 1) {
                        if (!name.equals("Message")) {
                            throw OnsError.MQ_MALFORMED_XML.exception("the root element must be <Message>, not <"
                                    + name + ">");
                        }
                        root = true;
                    } else if (depth == 2) {
                        String text = r.getElementText();
                        depth--;
                        switch (name) {
                            case "MessageBody" -> body = text;
                            case "MessageTag" -> tag = text;
                            case "Properties" -> properties = text;
                            default -> {
                                // unknown elements are ignored, like the other SDKs' servers do
                            }
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            throw OnsError.MQ_MALFORMED_XML.exception(e.getMessage());
        }
        if (!root) {
            throw OnsError.MQ_MALFORMED_XML.exception("the body has no <Message> element");
        }
        return new PublishedMessage(body == null ? "" : body, tag, properties);
    }

    /** The handles of a {@code <ReceiptHandles>} body, in order. */
    public static List<String> parseReceiptHandles(byte[] xml) {
        List<String> handles = new ArrayList<>();
        boolean root = false;
        try {
            XMLStreamReader r = reader(xml);
            int depth = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 1) {
                        if (!r.getLocalName().equals("ReceiptHandles")) {
                            throw OnsError.MQ_MALFORMED_XML.exception("the root element must be <ReceiptHandles>");
                        }
                        root = true;
                    } else if (depth == 2 && r.getLocalName().equals("ReceiptHandle")) {
                        handles.add(r.getElementText());
                        depth--;
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            throw OnsError.MQ_MALFORMED_XML.exception(e.getMessage());
        }
        if (!root) {
            throw OnsError.MQ_MALFORMED_XML.exception("the body has no <ReceiptHandles> element");
        }
        return handles;
    }

    /** The 201 answer to a publish. */
    public static byte[] publishResponse(String msgId, String bodyMd5, String receiptHandle) {
        StringBuilder x = new StringBuilder(256).append(DECLARATION)
                .append("<Message xmlns=\"").append(NAMESPACE).append("\">");
        element(x, "MessageId", msgId);
        element(x, "MessageBodyMD5", bodyMd5);
        if (receiptHandle != null) {
            element(x, "ReceiptHandle", receiptHandle);
        }
        return x.append("</Message>").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The 200 answer to a consume: every message with all its fields (tag and properties when present). */
    public static byte[] messages(List<ConsumedMessage> messages) {
        StringBuilder x = new StringBuilder(512 * messages.size() + 128).append(DECLARATION)
                .append("<Messages xmlns=\"").append(NAMESPACE).append("\">");
        for (ConsumedMessage m : messages) {
            x.append("<Message>");
            element(x, "MessageId", m.msgId());
            element(x, "MessageBodyMD5", m.bodyMd5());
            element(x, "MessageBody", m.body());
            element(x, "ReceiptHandle", m.receiptHandle());
            element(x, "PublishTime", Long.toString(m.publishTime()));
            element(x, "FirstConsumeTime", Long.toString(m.firstConsumeTime()));
            element(x, "NextConsumeTime", Long.toString(m.nextConsumeTime()));
            element(x, "ConsumedTimes", Integer.toString(m.consumedTimes()));
            if (m.tag() != null && !m.tag().isEmpty()) {
                element(x, "MessageTag", m.tag());
            }
            String properties = properties(m.properties());
            if (properties != null) {
                element(x, "Properties", properties);
            }
            x.append("</Message>");
        }
        return x.append("</Messages>").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The 404 answer of an ack with failed handles, each echoed byte for byte. */
    public static byte[] ackErrors(List<AckResult.Failure> failures) {
        StringBuilder x = new StringBuilder(256).append(DECLARATION)
                .append("<Errors xmlns=\"").append(NAMESPACE).append("\">");
        for (AckResult.Failure f : failures) {
            x.append("<Error>");
            element(x, "ErrorCode", f.code());
            element(x, "ErrorMessage", f.message());
            element(x, "ReceiptHandle", f.receiptHandle());
            x.append("</Error>");
        }
        return x.append("</Errors>").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code <Error>} document of every other failure. */
    public static byte[] error(String code, String message, String requestId, String hostId) {
        StringBuilder x = new StringBuilder(256).append(DECLARATION)
                .append("<Error xmlns=\"").append(NAMESPACE).append("\">");
        element(x, "Code", code);
        element(x, "Message", message);
        element(x, "RequestId", requestId);
        element(x, "HostId", hostId);
        return x.append("</Error>").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Properties as the protocol writes them: {@code key:value|} per entry; null when there are none. */
    static String properties(Map<String, String> properties) {
        if (properties == null || properties.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append(':').append(v).append('|'));
        return text.toString();
    }

    private static void element(StringBuilder x, String name, String text) {
        x.append('<').append(name).append('>');
        escape(x, text == null ? "" : text);
        x.append("</").append(name).append('>');
    }

    /**
     * Escapes text content; characters XML 1.0 cannot carry (a Kafka-native producer's binary body) become
     * U+FFFD, so the document always parses. CR is written as a reference so that it survives parsing.
     */
    static void escape(StringBuilder x, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> x.append("&lt;");
                case '>' -> x.append("&gt;");
                case '&' -> x.append("&amp;");
                case '\r' -> x.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        x.append(c).append(text.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n') || Character.isSurrogate(c)
                            || c == 0xFFFE || c == 0xFFFF) {
                        x.append('\uFFFD');
                    } else {
                        x.append(c);
                    }
                }
            }
        }
    }

    private static XMLStreamReader reader(byte[] xml) throws XMLStreamException {
        if (xml == null || xml.length == 0) {
            throw OnsError.MQ_MALFORMED_XML.exception("the request has no body");
        }
        return INPUT.createXMLStreamReader(new ByteArrayInputStream(xml));
    }

    /**
     * Woodstox, named explicitly (not whatever the service loader finds): creating a JDK (SJSXP) reader costs more
     * than parsing a 1 KiB message with it — it re-reads system properties and allocates its buffers each time —
     * and every publish and ack creates one.
     */
    private static XMLInputFactory inputFactory() {
        XMLInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }
}
