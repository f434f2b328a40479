package io.openons.gateway.dialect.mqhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The positional reader of the Date header accepts exactly what {@code RFC_1123_DATE_TIME} accepts. */
class HttpDatesTest {

    /** The form the SDKs send: "EEE, dd MMM yyyy HH:mm:ss GMT" in English. */
    private static final DateTimeFormatter SDK_FORM = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.ENGLISH);

    @Test
    void readsTheSdkFormByPositionAsTheFormatterDoes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L));
            String header = SDK_FORM.format(instant.atZone(ZoneOffset.UTC));
            assertNotNull(HttpDates.parseCommonForm(header), header);
            assertEquals(ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(),
                    HttpDates.parse(header), header);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sun, 6 Nov 1994 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 gmt",
            "Sun, 06 Nov 1994 08:49:37 +0000", "Sun, 06 Nov 1994 09:49:37 +0100", "06 Nov 1994 08:49:37 GMT",
            "Thu, 29 Feb 2024 23:59:59 GMT", "Sun, 06 Nov 1994 08:49 GMT"})
    void leavesOtherFormsToTheFormatter(String header) {
        assertEquals(ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(),
                HttpDates.parse(header), header);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mon, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 0x Nov 1994 08:49:37 GMT", "2026-11-23T06:15:42Z", "",
            "Sun, 06 Nov 1994 08:49:37 UTC+"})
    void rejectsWhatTheFormatterRejects(String header) {
        assertThrows(DateTimeParseException.class,
                () -> ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME));
        assertThrows(DateTimeParseException.class, () -> HttpDates.parse(header));
    }

    @Test
    void formatsTheCurrentSecond() {
        Instant before = Instant.now().minusSeconds(1);
        Instant formatted = ZonedDateTime.parse(HttpDates.now(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertEquals(true, !formatted.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                && !formatted.isAfter(Instant.now()), formatted.toString());
    }
}
