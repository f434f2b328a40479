package io.openons.stats;

import static io.openons.stats.Traffic.MINUTE;
import static io.openons.stats.Traffic.await;
import static io.openons.stats.Traffic.call;
import static io.openons.stats.TrendOperationsTest.groupQuery;
import static io.openons.stats.TrendOperationsTest.topicQuery;
import static io.openons.stats.TrendOperationsTest.trend;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.stats.TrendOperationsTest.Point;
import io.openons.stats.aggregate.TimeBuckets;
import io.openons.stats.maintenance.Maintenance;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Storage stays bounded: minutes older than the minute resolution roll up into exact 10-minute counts, counts
 * past the retention are deleted, events past it are not counted, and dedupe keys are forgotten once their
 * partition has moved on by the dedupe window.
 */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class RollupAndRetentionTest {

    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    @Inject
    Maintenance maintenance;
    @Inject
    AgroalDataSource dataSource;

    private long rows(String table, Traffic.Setup s) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT count(*) FROM stats." + table
                        + " WHERE account_id = ? AND instance_id = ?")) {
            q.setString(1, s.account());
            q.setString(2, s.instance());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void oldMinutesRollUpIntoExactTenMinuteCounts() throws Exception {
        Traffic.Setup s = Traffic.Setup.create(List.of("t"), List.of("GID_r"));
        long base = TimeBuckets.floor(System.currentTimeMillis() - 30 * HOUR, 10 * MINUTE);
        List<MessageLifecycleEvent> events = new ArrayList<>();
        // 3 + 4 + ... in minutes 0..19: the first 10-minute period holds 75, the second 175.
        for (int minute = 0; minute < 20; minute++) {
            for (int i = 0; i < minute + 3; i++) {
                events.add(s.published("t", base + minute * MINUTE + i * 1000L));
            }
            events.add(s.acked("GID_r", "t", base + minute * MINUTE + 5));
        }
        Traffic.publishInOrder(s.instance(), events);
        long end = base + 19 * MINUTE;
        List<Point> expected = List.of(new Point(base, 75), new Point(base + 10 * MINUTE, 175));
        await("old minutes counted", () -> trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "t", base, end, 0, 10L)).points(), expected::equals);
        assertEquals(40, rows("minute_count", s));

        Maintenance.Result result = maintenance.runOnce(System.currentTimeMillis());
        assertTrue(result.ran());
        assertTrue(result.minutesRolledUp() >= 4, result.toString());
        assertEquals(0, rows("minute_count", s));
        assertEquals(4, rows("ten_minute_count", s), "two 10-minute periods for the topic and for the group");
        assertEquals(expected, trend(s.account(), "OnsTrendTopicInputTps", topicQuery(s, "t", base, end, 0, 10L))
                .points());
        assertEquals(List.of(new Point(base, 10 / 600.0), new Point(base + 10 * MINUTE, 10 / 600.0)),
                trend(s.account(), "OnsTrendGroupOutputTps", groupQuery(s, "GID_r", "t", base, end, 1, 10L)).points());
        // Finer periods are not kept that far back.
        call(s.account(), "OnsTrendTopicInputTps", topicQuery(s, "t", base, end, 0, 1L)).statusCode(400)
                .body("Code", equalTo("BIZ_FIELD_CHECK_INVALID"));

        // A late event for a rolled-up minute shows at once (read from both tables), then rolls up too.
        Traffic.publishInOrder(s.instance(), List.of(s.published("t", base + 13 * MINUTE)));
        List<Point> withLate = List.of(new Point(base, 75), new Point(base + 10 * MINUTE, 176));
        await("the late event", () -> trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "t", base, end, 0, 10L)).points(), withLate::equals);
        assertEquals(1, rows("minute_count", s));
        maintenance.runOnce(System.currentTimeMillis());
        assertEquals(0, rows("minute_count", s));
        assertEquals(4, rows("ten_minute_count", s));
        assertEquals(withLate, trend(s.account(), "OnsTrendTopicInputTps", topicQuery(s, "t", base, end, 0, 10L))
                .points());
    }

    @Test
    void countsPastTheRetentionAreDeletedAndEventsPastItNotCounted() throws Exception {
        Traffic.Setup s = Traffic.Setup.create(List.of("t"), List.of());
        long now = System.currentTimeMillis();
        long nearlyExpired = now - 3 * DAY + 20 * MINUTE;
        long recent = TimeBuckets.minute(now - 30 * MINUTE);
        Traffic.publishInOrder(s.instance(), List.of(
                s.published("t", now - 3 * DAY - HOUR), // past the retention: never counted
                s.published("t", nearlyExpired),
                s.published("t", recent)));
        await("recent counted", () -> trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "t", recent, recent + MINUTE, 0, 1L)).points(),
                List.of(new Point(recent, 1), new Point(recent + MINUTE, 0))::equals);
        assertEquals(2, rows("minute_count", s), "the event past the retention was not counted");

        maintenance.runOnce(now);
        assertEquals(1, rows("ten_minute_count", s), "the old minute was rolled up");
        assertEquals(1, rows("minute_count", s));
        // Half an hour later the rolled-up period is wholly past the retention.
        maintenance.runOnce(now + 30 * MINUTE);
        assertEquals(0, rows("ten_minute_count", s));
        assertEquals(1, rows("minute_count", s), "recent counts stay");
    }

    @Test
    void dedupeKeysAreForgottenOnceTheirPartitionMovedOnByTheWindow() throws Exception {
        Traffic.Setup s = Traffic.Setup.create(List.of("t"), List.of());
        long now = System.currentTimeMillis();
        Traffic.publishInOrder(s.instance(), List.of(s.published("t", now - 2 * HOUR),
                s.published("t", now - 10 * MINUTE), s.published("t", now)));
        await("counted", () -> trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "t", now - 2 * HOUR, now, 0, 10L)).points().stream().mapToDouble(Point::y).sum(),
                n -> n == 3.0);
        maintenance.runOnce(now);
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT count(*) FROM stats.seen_event e "
                        + "JOIN stats.ingest_offset o ON o.partition_no = e.source_partition "
                        + "WHERE o.topic = ? AND e.event_time < o.watermark - ?")) {
            q.setString(1, io.openons.contracts.event.EventTopics.MESSAGE_LIFECYCLE);
            q.setLong(2, 30 * MINUTE);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "no key older than the window behind its partition's progress");
            }
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT count(*) FROM stats.seen_event WHERE event_time >= ?")) {
            q.setLong(1, now - 10 * MINUTE);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertTrue(rs.getLong(1) >= 2, "recent keys are kept");
            }
        }
    }
}
