package io.openons.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import io.micrometer.core.instrument.Counter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Business metrics of the gateway: requests by dialect, Action and outcome (the answered code), their
 * latency, and signature rejections by reason.
 */
@ApplicationScoped
public class GatewayMetrics {

    private static final Set<String> SIGNATURE_REJECTIONS = Set.of("SignatureDoesNotMatch",
            "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "InvalidTimeStamp.Expired",
            "InvalidTimeStamp.Format", "SignatureNonceUsed", "UnsupportedSignatureMethod",
            "UnsupportedSignatureVersion", "InvalidAuthorizationHeader", "MissingAuthorizationHeader",
            "InvalidDateHeader", "TimeExpired", "InvalidAccessKeyId", "AccessDenied");

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Records one answered request.
     *
     * @param action  the Action (or operation) when it was recognised, otherwise "unknown"
     * @param outcome "Success" or the error code answered
     */
    public void request(String dialect, String action, String outcome, long startedNanos) {
        counters.computeIfAbsent(dialect + '|' + action + '|' + outcome, k -> registry.counter(
                "ons_gateway_requests", "dialect", dialect, "action", action, "outcome", outcome)).increment();
        timers.computeIfAbsent(dialect + '|' + action, k -> Timer.builder("ons_gateway_request_duration")
                .tag("dialect", dialect).tag("action", action).register(registry))
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        if (SIGNATURE_REJECTIONS.contains(outcome) || outcome.startsWith("Missing") && !outcome.equals("MissingParameter")) {
            registry.counter("ons_gateway_signature_rejections", "dialect", dialect, "reason", outcome).increment();
        }
    }
}
