package io.openons.contracts.operation;

/**
 * How a request parameter is written on the wire and how it travels on the internal operation API.
 * Scalars travel as JSON scalars; the two list shapes travel as JSON arrays.
 */
public enum ParamType {
    /** Free text. */
    STRING,
    /** A decimal 32-bit integer. */
    INTEGER,
    /** A decimal 64-bit integer (times are epoch milliseconds). */
    LONG,
    /** {@code true} or {@code false} (case-insensitive). */
    BOOLEAN,
    /** A 1-based repeat list {@code Name.1}, {@code Name.2}... travelling as a JSON array of strings. */
    REPEAT_LIST,
    /** Tag pairs {@code Name.N.Key} / {@code Name.N.Value}, travelling as a JSON array of {Key, Value}. */
    TAG_LIST
}
