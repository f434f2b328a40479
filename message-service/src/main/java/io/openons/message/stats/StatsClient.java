package io.openons.message.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.message.config.MessageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * stats-service's consume TPS ({@code GET /internal/v1/stats/consume-tps}, stats-service/README.md): the one
 * source of a group's ConsumeTps, counted from the ACKED lifecycle events. When stats-service does not answer in
 * time the Actions answer without ConsumeTps rather than with a made-up value.
 */
@ApplicationScoped
public class StatsClient {

    private static final Logger LOG = Logger.getLogger(StatsClient.class);

    /** Longest reuse of an answer. */
    static final long CACHE_MILLIS = 10_000;
    /** How long after a minute ends its counts may still be arriving (stats-service: p99 under 5 s). */
    static final long SETTLE_MILLIS = 5_000;

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final ObjectMapper json;
    private final String baseUrl;
    private final Duration timeout;

    StatsClient(MessageConfig config, ObjectMapper json) {
        this.json = json;
        this.baseUrl = config.statsServiceUrl().replaceAll("/+$", "");
        this.timeout = config.statsServiceTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A group's consume TPS: in total and per topic (topics without consumption are absent). */
    public record ConsumeTps(double total, Map<String, Double> byTopic) {
    }

    /**
     * The group's consume TPS over the last finished minute, or null when stats-service cannot tell. The figure
     * changes once a minute, so an answer is reused for up to {@link #CACHE_MILLIS} (never across a minute
     * boundary plus the aggregation's settling time): a dashboard polling OnsConsumerAccumulate costs one call.
     */
    public ConsumeTps consumeTps(String accountId, String instanceId, String groupId) {
        String key = accountId + '/' + instanceId + '/' + groupId;
        long now = System.currentTimeMillis();
        Cached cached = cache.get(key);
        if (cached != null && now < cached.validUntil) {
            return cached.value;
        }
        ConsumeTps value = fetch(accountId, instanceId, groupId);
        if (value != null) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            long nextMinute = (now / 60_000 + 1) * 60_000;
            long settled = now % 60_000 < SETTLE_MILLIS ? now - now % 60_000 + SETTLE_MILLIS : nextMinute + SETTLE_MILLIS;
            cache.put(key, new Cached(value, Math.min(now + CACHE_MILLIS, settled)));
        }
        return value;
    }

    private record Cached(ConsumeTps value, long validUntil) {
    }

    private ConsumeTps fetch(String accountId, String instanceId, String groupId) {
        String url = baseUrl + "/internal/v1/stats/consume-tps?accountId=" + enc(accountId) + "&instanceId="
                + enc(instanceId) + "&groupId=" + enc(groupId);
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                LOG.warnf("stats-service answered %d for the consume TPS of %s", response.statusCode(), groupId);
                return null;
            }
            JsonNode body = json.readTree(response.body());
            Map<String, Double> byTopic = new HashMap<>();
            for (JsonNode t : body.path("topics")) {
                byTopic.put(t.path("topic").asText(), t.path("consumeTps").asDouble());
            }
            return new ConsumeTps(body.path("consumeTps").asDouble(), byTopic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            LOG.warnf("stats-service unreachable for the consume TPS of %s: %s", groupId, e.toString());
            return null;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
