package io.openons.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the gateway ({@code ons.gateway.*}; every value can be overridden by environment). */
@ConfigMapping(prefix = "ons.gateway")
public interface GatewayConfig {

    /** Base URL of each owning service, by service name (resource-service, message-service, ...). */
    Map<String, String> services();

    /** How long the gateway waits for an owning service. */
    @WithDefault("30s")
    Duration serviceTimeout();

    /** The region of requests that send no RegionId. */
    @WithDefault("cn-hangzhou")
    String defaultRegion();

    /** Largest accepted difference between a request's Timestamp and the server clock. */
    @WithDefault("15m")
    Duration timestampTolerance();

    /** How long a used SignatureNonce is remembered; must exceed twice the timestamp tolerance. */
    @WithDefault("31m")
    Duration nonceRetention();

    /** How long an access key is cached; a disabled key stops working after at most this long. */
    @WithDefault("5s")
    Duration accessKeyCacheTtl();

    /** AES-256 key (base64 of 32 bytes) that encrypts access-key secrets at rest. */
    Optional<String> keyEncryptionKey();

    Bootstrap bootstrap();

    /** Connections of the non-blocking pool the request path uses (key lookups, nonces). */
    @WithDefault("8")
    int requestPoolSize();

    /** Bearer token of the admin API; the admin API is disabled without it. */
    Optional<String> adminToken();

    /** The account and key created on first start. */
    interface Bootstrap {
        Optional<String> accountId();

        Optional<String> accessKeyId();

        Optional<String> accessKeySecret();
    }
}
