package io.openons.gateway.dialect.mqhttp;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * RFC 1123 dates of the MQ HTTP protocol's {@code Date} header, both ways, at the cost a header on every publish
 * can afford: the form every SDK sends ({@code Sun, 06 Nov 1994 08:49:37 GMT}) is read by position — the
 * day of the week still has to match the date — and anything else goes to {@link DateTimeFormatter#RFC_1123_DATE_TIME},
 * so the accepted dates are exactly the formatter's. The answer's {@code Date} is formatted once per second.
 */
final class HttpDates {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    private static volatile Formatted lastFormatted = new Formatted(Long.MIN_VALUE, "");

    private HttpDates() {
    }

    /** Parses an RFC 1123 date; throws {@link DateTimeParseException} for anything the formatter refuses. */
    static Instant parse(String text) {
        Instant fast = parseCommonForm(text);
        return fast != null ? fast : ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    /** {@code EEE, dd MMM yyyy HH:mm:ss GMT} by position, or null when the text has another form or is invalid. */
    static Instant parseCommonForm(String t) {
        if (t.length() != 29 || t.charAt(3) != ',' || t.charAt(4) != ' ' || t.charAt(7) != ' '
                || t.charAt(11) != ' ' || t.charAt(16) != ' ' || t.charAt(19) != ':' || t.charAt(22) != ':'
                || !t.endsWith(" GMT")) {
            return null;
        }
        int month = MONTHS.indexOf(t.substring(8, 11));
        int day = digits(t, 5, 7);
        int year = digits(t, 12, 16);
        int hour = digits(t, 17, 19);
        int minute = digits(t, 20, 22);
        int second = digits(t, 23, 25);
        if (month < 0 || month % 3 != 0 || day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(year, month / 3 + 1, day);
            DayOfWeek dayOfWeek = date.getDayOfWeek();
            if (!t.startsWith(DAYS[dayOfWeek.ordinal()])) {
                return null;
            }
            return date.atTime(hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The current time as an RFC 1123 date (one formatting per second, shared by every answer). */
    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Formatted last = lastFormatted;
        if (last.epochSecond != second) {
            last = new Formatted(second, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC)));
            lastFormatted = last;
        }
        return last.text;
    }

    /** The decimal digits in [from, to), or -1 when one is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private record Formatted(long epochSecond, String text) {
    }
}
