package io.openons.gateway.dialect.mqhttp;

import io.openons.contracts.error.OnsError;
import io.openons.gateway.auth.AccessKeyStore;
import io.openons.gateway.auth.Credentials;
import io.openons.gateway.config.GatewayConfig;
import io.openons.signature.MqHttpSignature;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Optional;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies the MQ HTTP protocol's signature (mq-http-protocol.md §3) against the access-key store, in the
 * documented order: Authorization header, access key, Date (within the tolerance), signature over the raw
 * request target. Nothing else of the request (topic, XML, handles) is looked at before this passes.
 */
@ApplicationScoped
public class MqHttpAuthenticator {

    private static final Pattern AUTHORIZATION = Pattern.compile("^MQ ([^:]+):(.+)$");

    private final AccessKeyStore keys;
    private final Duration tolerance;

    MqHttpAuthenticator(AccessKeyStore keys, GatewayConfig config) {
        this.keys = keys;
        this.tolerance = config.timestampTolerance();
    }

    /** Authenticates without blocking the caller's (event-loop) thread: the key store's lookup is non-blocking. */
    public Uni<Credentials> authenticateAsync(HttpServerRequest request) {
        return Uni.createFrom().completionStage(keys.find(accessKeyIdOf(request))).map(found -> verify(request, found));
    }

    private static String accessKeyIdOf(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || authorization.isEmpty()) {
            throw OnsError.MQ_MISSING_AUTHORIZATION.exception();
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            throw OnsError.MQ_INVALID_AUTHORIZATION.exception(authorization);
        }
        return m.group(1);
    }

    private Credentials verify(HttpServerRequest request, Optional<Credentials> found) {
        Matcher m = AUTHORIZATION.matcher(request.getHeader("Authorization"));
        m.matches();
        String accessKeyId = m.group(1);
        Credentials credentials = found
                .orElseThrow(() -> OnsError.MQ_INVALID_ACCESS_KEY_ID.exception(accessKeyId));
        if (!credentials.enabled()) {
            throw OnsError.MQ_ACCESS_KEY_DISABLED.exception(accessKeyId);
        }
        checkDate(request.getHeader("Date"));
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        String stringToSign = MqHttpSignature.stringToSign(request.method().name(), headers, request.uri());
        if (!MqHttpSignature.verify(credentials.secret(), stringToSign, m.group(2))) {
            throw OnsError.MQ_SIGNATURE_DOES_NOT_MATCH.exception(stringToSign.replace("\n", "\\n"));
        }
        return credentials;
    }

    private void checkDate(String date) {
        if (date == null || date.isEmpty()) {
            throw OnsError.MQ_INVALID_DATE.exception("");
        }
        Instant time;
        try {
            time = HttpDates.parse(date);
        } catch (DateTimeParseException e) {
            throw OnsError.MQ_INVALID_DATE.exception(date);
        }
        Instant now = Instant.now();
        if (Duration.between(time, now).abs().compareTo(tolerance) > 0) {
            throw OnsError.MQ_TIME_EXPIRED.exception(date,
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(now.truncatedTo(ChronoUnit.SECONDS)
                            .atZone(java.time.ZoneOffset.UTC)), tolerance.toMinutes());
        }
    }
}
