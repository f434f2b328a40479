package io.openons.gateway.render;

import java.util.Locale;

/** The two answer formats of the RPC dialect; the content type tells the official SDK which parser to use. */
public enum ResponseFormat {
    JSON("application/json;charset=utf-8"),
    XML("text/xml;charset=utf-8");

    private final String contentType;

    ResponseFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The format a request asks for: XML when absent (the document's default), null when unknown. */
    public static ResponseFormat of(String format) {
        if (format == null || format.isEmpty()) {
            return XML;
        }
        return switch (format.toUpperCase(Locale.ROOT)) {
            case "JSON" -> JSON;
            case "XML" -> XML;
            default -> null;
        };
    }
}
