package io.openons.message.consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.openons.message.jdbc.Jdbc;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Consumer metrics that need the database, recomputed periodically (every replica reports the same shared
 * state): {@code ons_consumer_backlog_messages{instance_id,group_id}} (messages after the group's cursors plus
 * deliveries in flight), {@code ons_consumer_inflight_messages} and {@code ons_dead_letter_messages} (kept dead
 * letters). Redeliveries and dead-letterings are counters of the consume path ({@code ons_message_delivered
 * {kind=redelivery}}, {@code ons_message_dead_lettered}).
 */
@ApplicationScoped
public class BacklogMetrics {

    private static final Logger LOG = Logger.getLogger(BacklogMetrics.class);

    private final Jdbc jdbc;
    private final MultiGauge backlog;
    private final AtomicLong inflight = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();

    BacklogMetrics(Jdbc jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.backlog = MultiGauge.builder("ons_consumer_backlog_messages")
                .description("Messages a group has not consumed yet (after its cursors, or delivered and not acked)")
                .register(registry);
        Gauge.builder("ons_consumer_inflight_messages", inflight, AtomicLong::get)
                .description("Deliveries awaiting their ack, over all groups").register(registry);
        Gauge.builder("ons_dead_letter_messages", deadLetters, AtomicLong::get)
                .description("Dead letters kept, over all groups").register(registry);
    }

    @Scheduled(every = "${ons.message.consumer.backlog-metrics-interval:15s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            jdbc.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT instance_id, group_id, sum(n) FROM ("
                        + "SELECT c.instance_id, c.group_id, greatest(coalesce(s.max_offset + 1, 0) - c.next_offset, 0) "
                        + "AS n FROM consume_cursor c LEFT JOIN partition_stats s ON s.kafka_topic = c.kafka_topic "
                        + "AND s.kafka_partition = c.kafka_partition "
                        + "UNION ALL SELECT instance_id, group_id, count(*) FROM inflight GROUP BY 1, 2) b "
                        + "GROUP BY 1, 2");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(MultiGauge.Row.of(Tags.of("instance_id", rs.getString(1), "group_id",
                                rs.getString(2)), rs.getLong(3)));
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM inflight), "
                        + "(SELECT count(*) FROM dead_letter)");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    inflight.set(rs.getLong(1));
                    deadLetters.set(rs.getLong(2));
                }
                return null;
            });
            backlog.register(rows, true);
        } catch (RuntimeException e) {
            LOG.debugf("Backlog metrics not refreshed: %s", e.getMessage());
        }
    }
}
