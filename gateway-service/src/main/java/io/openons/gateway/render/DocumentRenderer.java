package io.openons.gateway.render;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes one response model in either format, so JSON and XML never drift apart. The model is a JSON tree
 * in which arrays sit in their item-name wrapper ({@code "Data":{"PublishInfoDo":[...]}}):
 * <ul>
 * <li>JSON: written as is (non-ASCII as raw UTF-8, never {@code \\uXXXX}, which the official SDK cannot
 * read); with {@code bareArrays} every wrapper is replaced by its array, as the five Actions whose SDK
 * classes read bare arrays need;</li>
 * <li>XML: under the root element; an array under key K becomes repeated {@code <K>} elements, so wrapper
 * and item names are the same as in JSON.</li>
 * </ul>
 */
public final class DocumentRenderer {

    private static final JsonFactory JSON = new JsonFactory();
    /** The JDK's writer, whatever else is on the class path (Woodstox is, for the MQ HTTP reader). */
    private static final XMLOutputFactory XML = XMLOutputFactory.newDefaultFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final com.fasterxml.jackson.databind.ObjectMapper TREE_READER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private DocumentRenderer() {
    }

    /** A document with {@code RequestId} first, then the fields of the model. */
    public static ObjectNode withRequestId(String requestId, JsonNode model) {
        ObjectNode document = NODES.objectNode();
        document.put("RequestId", requestId);
        if (model != null && model.isObject()) {
            model.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("RequestId")) {
                    document.set(f.getKey(), f.getValue());
                }
            });
        }
        return document;
    }

    /**
     * Renders a service's result document with the RequestId first. JSON in the wrapped model is passed through
     * as the service wrote it (Jackson writes non-ASCII as raw UTF-8 and escapes only control characters, as
     * this renderer does), with the RequestId spliced in front; everything else goes through the tree.
     */
    public static byte[] renderResult(ResponseFormat format, String rootElement, String requestId, byte[] resultJson,
            boolean bareArrays) {
        if (format == ResponseFormat.JSON && !bareArrays) {
            int open = firstNonWhitespace(resultJson);
            if (open >= 0 && resultJson[open] == '{') {
                byte[] head = ("{\"RequestId\":\"" + requestId + "\"").getBytes(StandardCharsets.UTF_8);
                int rest = firstNonWhitespace(resultJson, open + 1);
                boolean empty = rest >= 0 && resultJson[rest] == '}';
                ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + resultJson.length + 1);
                out.writeBytes(head);
                if (empty) {
                    out.write('}');
                } else {
                    out.write(',');
                    out.write(resultJson, open + 1, resultJson.length - open - 1);
                }
                return out.toByteArray();
            }
        }
        JsonNode model;
        try {
            model = TREE_READER.readTree(resultJson);
        } catch (IOException e) {
            throw new UncheckedIOException("A service answered a document that is not JSON", e);
        }
        return render(format, rootElement, withRequestId(requestId, model), bareArrays);
    }

    private static int firstNonWhitespace(byte[] bytes) {
        return firstNonWhitespace(bytes, 0);
    }

    private static int firstNonWhitespace(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return i;
            }
        }
        return -1;
    }

    public static byte[] render(ResponseFormat format, String rootElement, JsonNode document, boolean bareArrays) {
        return format == ResponseFormat.JSON ? json(bareArrays ? unwrapArrays(document) : document)
                : xml(rootElement, document);
    }

    static byte[] json(JsonNode document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            writeJson(g, document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeJson(JsonGenerator g, JsonNode node) throws IOException {
        if (node == null || node.isNull()) {
            g.writeNull();
        } else if (node.isObject()) {
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue() == null || f.getValue().isNull()) {
                    continue;
                }
                g.writeFieldName(f.getKey());
                writeJson(g, f.getValue());
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode item : node) {
                writeJson(g, item);
            }
            g.writeEndArray();
        } else if (node.isTextual()) {
            g.writeString(node.textValue());
        } else if (node.isBoolean()) {
            g.writeBoolean(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            g.writeNumber(node.bigIntegerValue());
        } else if (node.isNumber()) {
            g.writeNumber(node.decimalValue());
        } else {
            g.writeString(node.asText());
        }
    }

    /** Replaces every single-key object whose value is an array by that array. */
    static JsonNode unwrapArrays(JsonNode node) {
        if (node.isObject()) {
            if (node.size() == 1) {
                JsonNode only = node.elements().next();
                if (only.isArray()) {
                    return unwrapArrays(only);
                }
            }
            ObjectNode copy = NODES.objectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), unwrapArrays(f.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(item -> copy.add(unwrapArrays(item)));
            return copy;
        }
        return node;
    }

    static byte[] xml(String rootElement, JsonNode document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement(rootElement);
            writeXmlChildren(w, document);
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot write XML", e);
        }
        return out.toByteArray();
    }

    private static void writeXmlChildren(XMLStreamWriter w, JsonNode node) throws XMLStreamException {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode value = f.getValue();
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                for (JsonNode item : value) {
                    writeXmlElement(w, f.getKey(), item);
                }
            } else {
                writeXmlElement(w, f.getKey(), value);
            }
        }
    }

    private static void writeXmlElement(XMLStreamWriter w, String name, JsonNode value) throws XMLStreamException {
        w.writeStartElement(name);
        if (value.isObject()) {
            writeXmlChildren(w, value);
        } else if (!value.isArray()) {
            w.writeCharacters(xmlSafe(value.asText()));
        }
        w.writeEndElement();
    }

    /** XML 1.0 cannot carry most control characters; they become U+FFFD rather than break the document. */
    private static String xmlSafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                StringBuilder s = new StringBuilder(text.length());
                for (int j = 0; j < text.length(); j++) {
                    char d = text.charAt(j);
                    s.append(d < 0x20 && d != '\t' && d != '\n' && d != '\r' ? '\uFFFD' : d);
                }
                return s.toString();
            }
        }
        return text;
    }

    /** The UTF-8 text of a rendered document (for logs and tests). */
    public static String text(byte[] rendered) {
        return new String(rendered, StandardCharsets.UTF_8);
    }
}
