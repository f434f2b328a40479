package io.openons.gateway.operation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.operation.Operation;
import io.openons.contracts.operation.ParamSpec;
import io.openons.contracts.operation.ParamType;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds the flat wire parameters of a request ({@code Name}, {@code Name.N}, {@code Tag.N.Key}) to an
 * operation's declared parameters, checking presence and types: {@code MissingParameter} for a required one
 * that is absent or empty, {@code InvalidParameter} for one that is not of its type. Parameters an operation
 * does not declare are ignored, like the real service does.
 */
public final class ParameterBinder {

    /** The patterns of list parameters ({@code Tag.N.Key}, ...), compiled once per parameter name. */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    /** Highest index accepted in {@code Name.N} lists. */
    static final int MAX_INDEX = 100;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ParameterBinder() {
    }

    public static ObjectNode bind(Operation operation, Map<String, String> wire) {
        ObjectNode params = NODES.objectNode();
        for (ParamSpec spec : operation.params()) {
            switch (spec.type()) {
                case REPEAT_LIST -> bindRepeatList(spec, wire, params);
                case TAG_LIST -> bindTagList(spec, wire, params);
                default -> bindScalar(spec, wire.get(spec.name()), params);
            }
        }
        return params;
    }

    private static void bindScalar(ParamSpec spec, String value, ObjectNode params) {
        if (value == null || (value.isEmpty() && spec.type() != ParamType.STRING)) {
            if (spec.required()) {
                throw OnsError.MISSING_PARAMETER.exception(spec.name());
            }
            return;
        }
        if (value.isEmpty() && spec.required()) {
            throw OnsError.MISSING_PARAMETER.exception(spec.name());
        }
        switch (spec.type()) {
            case STRING -> params.put(spec.name(), value);
            case INTEGER -> {
                try {
                    params.put(spec.name(), Integer.parseInt(value.trim()));
                } catch (NumberFormatException e) {
                    throw OnsError.INVALID_PARAMETER.exception(spec.name(), "\"" + value + "\" is not an integer");
                }
            }
            case LONG -> {
                try {
                    params.put(spec.name(), Long.parseLong(value.trim()));
                } catch (NumberFormatException e) {
                    throw OnsError.INVALID_PARAMETER.exception(spec.name(),
                            "\"" + value + "\" is not an integer (times are epoch milliseconds)");
                }
            }
            case BOOLEAN -> {
                String v = value.trim().toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw OnsError.INVALID_PARAMETER.exception(spec.name(), "\"" + value + "\" is not true or false");
                }
                params.put(spec.name(), Boolean.parseBoolean(v));
            }
            default -> throw new IllegalStateException("not a scalar: " + spec);
        }
    }

    private static void bindRepeatList(ParamSpec spec, Map<String, String> wire, ObjectNode params) {
        Pattern pattern = PATTERNS.computeIfAbsent(spec.name() + ".N",
                k -> Pattern.compile(Pattern.quote(spec.name()) + "\\.(\\d+)"));
        TreeMap<Integer, String> entries = new TreeMap<>();
        for (Map.Entry<String, String> e : wire.entrySet()) {
            Matcher m = pattern.matcher(e.getKey());
            if (m.matches()) {
                entries.put(index(spec.name() + ".N", m.group(1)), e.getValue());
            }
        }
        if (entries.isEmpty()) {
            if (spec.required()) {
                throw OnsError.MISSING_PARAMETER.exception(spec.name() + ".1");
            }
            return;
        }
        ArrayNode list = params.putArray(spec.name());
        for (Map.Entry<Integer, String> e : entries.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw OnsError.INVALID_PARAMETER.exception(spec.name() + "." + e.getKey(), "the value is empty");
            }
            list.add(e.getValue());
        }
    }

    private static void bindTagList(ParamSpec spec, Map<String, String> wire, ObjectNode params) {
        Pattern pattern = PATTERNS.computeIfAbsent(spec.name() + ".N.Key",
                k -> Pattern.compile(Pattern.quote(spec.name()) + "\\.(\\d+)\\.(Key|Value)"));
        TreeMap<Integer, String[]> tags = new TreeMap<>();
        for (Map.Entry<String, String> e : wire.entrySet()) {
            Matcher m = pattern.matcher(e.getKey());
            if (m.matches()) {
                String[] pair = tags.computeIfAbsent(index(spec.name() + ".N", m.group(1)), k -> new String[2]);
                pair[m.group(2).equals("Key") ? 0 : 1] = e.getValue();
            }
        }
        if (tags.size() > ParamSpec.MAX_LIST_ENTRIES) {
            throw OnsError.INVALID_PARAMETER.exception(spec.name() + ".N",
                    tags.size() + " tags given; at most " + ParamSpec.MAX_LIST_ENTRIES + " are allowed");
        }
        if (tags.isEmpty()) {
            if (spec.required()) {
                throw OnsError.MISSING_PARAMETER.exception(spec.name() + ".1.Key");
            }
            return;
        }
        ArrayNode list = params.putArray(spec.name());
        for (Map.Entry<Integer, String[]> e : tags.entrySet()) {
            String key = e.getValue()[0];
            if (key == null) {
                throw OnsError.MISSING_PARAMETER.exception(spec.name() + "." + e.getKey() + ".Key");
            }
            ObjectNode tag = list.addObject().put("Key", key);
            if (e.getValue()[1] != null) {
                tag.put("Value", e.getValue()[1]);
            }
        }
    }

    private static int index(String name, String digits) {
        int n;
        try {
            n = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_INDEX) {
            throw OnsError.INVALID_PARAMETER.exception(name, "N must be between 1 and " + MAX_INDEX);
        }
        return n;
    }
}
