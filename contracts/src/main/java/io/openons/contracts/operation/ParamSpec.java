package io.openons.contracts.operation;

/**
 * One Action-specific request parameter: its wire name, type and whether the caller must send it.
 * Domain rules (name patterns, ranges, enumerations) belong to the owning service, which knows them.
 */
public record ParamSpec(String name, ParamType type, boolean required) {

    /** The most entries a repeat or tag list may have (N = 1..20 in the API reference). */
    public static final int MAX_LIST_ENTRIES = 20;

    public static ParamSpec req(String name) {
        return new ParamSpec(name, ParamType.STRING, true);
    }

    public static ParamSpec req(String name, ParamType type) {
        return new ParamSpec(name, type, true);
    }

    public static ParamSpec opt(String name) {
        return new ParamSpec(name, ParamType.STRING, false);
    }

    public static ParamSpec opt(String name, ParamType type) {
        return new ParamSpec(name, type, false);
    }
}
