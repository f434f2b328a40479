package io.openons.message.model;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.Arrays;

/**
 * A subscription's tag filter: {@code *} (or absent) matches every message; otherwise tags joined by
 * {@code ||} (spaces around them ignored) match messages carrying one of those tags.
 */
public final class TagExpression {

    public static final TagExpression ALL = new TagExpression(null);
    private final Set<String> tags;

    private TagExpression(Set<String> tags) {
        this.tags = tags;
    }

    /** Parses an expression; throws {@link IllegalArgumentException} with what to fix when it is malformed. */
    public static TagExpression parse(String expression) {
        if (expression == null) {
            return ALL;
        }
        String trimmed = expression.trim();
        if (trimmed.isEmpty() || trimmed.equals("*")) {
            return ALL;
        }
        Set<String> tags = Arrays.stream(trimmed.split("\\|\\|", -1)).map(String::trim).collect(Collectors.toSet());
        if (tags.contains("") || tags.contains("*")) {
            throw new IllegalArgumentException("the tag expression \"" + expression
                    + "\" is malformed: use *, a tag, or tags joined by || (e.g. TagA||TagB)");
        }
        return new TagExpression(Set.copyOf(tags));
    }

    public boolean matches(String tag) {
        return tags == null || (tag != null && tags.contains(tag));
    }

    public boolean matchesAll() {
        return tags == null;
    }

    @Override
    public String toString() {
        return tags == null ? "*" : String.join("||", tags.stream().sorted().toList());
    }
}
