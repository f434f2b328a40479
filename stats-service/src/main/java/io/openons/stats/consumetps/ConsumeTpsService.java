package io.openons.stats.consumetps;

import io.openons.contracts.error.OnsError;
import io.openons.stats.aggregate.TimeBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The consume TPS message-service reports in OnsConsumerAccumulate and OnsConsumerStatus. The window is made
 * of whole, finished minutes (the current minute is still filling up and would read low).
 */
@ApplicationScoped
public class ConsumeTpsService {

    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    static final Duration MAX_WINDOW = Duration.ofHours(1);

    private final ConsumeTpsRepository repository;
    private final Clock clock;

    ConsumeTpsService(ConsumeTpsRepository repository) {
        this.repository = repository;
        this.clock = Clock.systemUTC();
    }

    public ConsumeTps consumeTps(String accountId, String instanceId, String groupId, String topic, String window)
            throws SQLException {
        require("accountId", accountId);
        require("instanceId", instanceId);
        require("groupId", groupId);
        Duration span = window(window);
        long end = TimeBuckets.minute(clock.millis());
        long start = end - span.toMillis();
        String oneTopic = topic == null || topic.isBlank() ? null : topic;
        Map<String, Long> perTopic = repository.consumed(accountId, instanceId, groupId, oneTopic, start, end);
        if (oneTopic != null) {
            perTopic.putIfAbsent(oneTopic, 0L);
        }
        double seconds = span.toSeconds();
        List<ConsumeTps.TopicConsumeTps> topics = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Long> e : perTopic.entrySet()) {
            topics.add(new ConsumeTps.TopicConsumeTps(e.getKey(), e.getValue(), e.getValue() / seconds));
            total += e.getValue();
        }
        return new ConsumeTps(accountId, instanceId, groupId, start, end, total, total / seconds, topics);
    }

    static Duration window(String window) {
        if (window == null || window.isBlank()) {
            return DEFAULT_WINDOW;
        }
        Duration span;
        try {
            span = Duration.parse(window.trim());
        } catch (DateTimeParseException e) {
            throw OnsError.INVALID_PARAMETER.exception("window", "\"" + window + "\" is not an ISO-8601 duration "
                    + "such as PT1M");
        }
        if (span.isNegative() || span.isZero() || span.toMillis() % TimeBuckets.MINUTE_MS != 0
                || span.compareTo(MAX_WINDOW) > 0) {
            throw OnsError.INVALID_PARAMETER.exception("window", "it must be a whole number of minutes from PT1M "
                    + "to PT1H");
        }
        return span;
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw OnsError.MISSING_PARAMETER.exception(name);
        }
    }
}
