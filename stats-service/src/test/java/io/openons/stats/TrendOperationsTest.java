package io.openons.stats;

import static io.openons.stats.Traffic.MINUTE;
import static io.openons.stats.Traffic.await;
import static io.openons.stats.Traffic.call;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.stats.aggregate.TimeBuckets;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The trend Actions over lifecycle events published to Kafka as message-service publishes them: exact counts
 * per period for every Period and Type, zeros filled in, what counts and what does not, isolation between
 * accounts, and validation.
 */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class TrendOperationsTest {

    /** A point as the tests compare it. */
    record Point(long x, double y) {
    }

    /** A chart as answered. */
    record Chart(String title, String xUnit, String yUnit, List<Point> points) {
    }

    static Chart trend(String account, String action, Map<String, Object> params) {
        var body = Traffic.json(call(account, action, params).statusCode(200));
        List<Map<String, Object>> records = body.getList("Data.Records.StatsDataDo");
        List<Point> points = new ArrayList<>();
        for (Map<String, Object> r : records) {
            points.add(new Point(((Number) r.get("X")).longValue(), ((Number) r.get("Y")).doubleValue()));
        }
        return new Chart(body.getString("Data.Title"), body.getString("Data.XUnit"),
                body.getString("Data.YUnit"), points);
    }

    static Map<String, Object> topicQuery(Traffic.Setup s, String topic, long begin, long end, int type, Long period) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("InstanceId", s.instance());
        p.put("Topic", topic);
        p.put("BeginTime", begin);
        p.put("EndTime", end);
        p.put("Type", type);
        if (period != null) {
            p.put("Period", period);
        }
        return p;
    }

    static Map<String, Object> groupQuery(Traffic.Setup s, String group, String topic, long begin, long end, int type,
            Long period) {
        Map<String, Object> p = topicQuery(s, topic, begin, end, type, period);
        p.put("GroupId", group);
        return p;
    }

    /** Expected points: per-minute counts summed into periods, a point for each period of the range. */
    static List<Point> expected(Map<Long, Integer> perMinute, long first, long last, long periodMinutes, int type) {
        long step = periodMinutes * MINUTE;
        TreeMap<Long, Long> sums = new TreeMap<>();
        perMinute.forEach((minute, n) -> sums.merge(TimeBuckets.floor(minute, step), (long) n, Long::sum));
        List<Point> points = new ArrayList<>();
        for (long x = first; x <= last; x += step) {
            long n = sums.getOrDefault(x, 0L);
            points.add(new Point(x, type == 0 ? n : (double) n / (periodMinutes * 60)));
        }
        return points;
    }

    @Test
    void countsEveryPeriodExactlyForBothTypesWithZerosFilledIn() {
        Traffic.Setup s = Traffic.Setup.create(List.of("orders", "other"), List.of("GID_billing", "GID_audit"));
        long base = TimeBuckets.floor(System.currentTimeMillis() - 40 * MINUTE, 10 * MINUTE);
        // Messages produced per minute (offset from base -> count) and consumed by GID_billing.
        Map<Long, Integer> produced = new TreeMap<>(Map.of(base, 3, base + MINUTE, 5, base + 4 * MINUTE, 2,
                base + 7 * MINUTE, 9, base + 12 * MINUTE, 4, base + 19 * MINUTE, 1));
        Map<Long, Integer> consumed = new TreeMap<>(Map.of(base + MINUTE, 2, base + 5 * MINUTE, 6,
                base + 10 * MINUTE, 1, base + 18 * MINUTE, 7));
        List<MessageLifecycleEvent> events = new ArrayList<>();
        produced.forEach((minute, n) -> {
            for (int i = 0; i < n; i++) {
                events.add(s.published("orders", minute + (i * 997L) % MINUTE));
            }
        });
        consumed.forEach((minute, n) -> {
            for (int i = 0; i < n; i++) {
                events.add(s.acked("GID_billing", "orders", minute + 59_999 - i));
            }
        });
        // Noise that must not show up: another topic, another group, and the types that count nothing.
        events.add(s.published("other", base + 2 * MINUTE));
        events.add(s.acked("GID_audit", "orders", base + 2 * MINUTE));
        events.add(s.acked("GID_billing", "other", base + 2 * MINUTE));
        for (MessageLifecycleEventType type : List.of(MessageLifecycleEventType.DELIVERED,
                MessageLifecycleEventType.CONSUME_FAILED, MessageLifecycleEventType.HALF_PUBLISHED,
                MessageLifecycleEventType.ROLLED_BACK, MessageLifecycleEventType.DEAD_LETTERED,
                MessageLifecycleEventType.DLQ_RESENT, MessageLifecycleEventType.DELIVERABLE,
                MessageLifecycleEventType.PUBLISH_FAILED)) {
            events.add(s.event(type, "orders", Traffic.newMsgId(), base + 3 * MINUTE, base + 3 * MINUTE,
                    "GID_billing"));
        }
        // Last, in the same partition: once it is counted, everything above has been read.
        events.add(s.published("other", base + 15 * MINUTE));
        Traffic.publishInOrder(s.instance(), events);

        long end = base + 19 * MINUTE;
        await("all events read", () -> trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "other", base, end, 0, 10L)).points(),
                p -> p.equals(List.of(new Point(base, 1), new Point(base + 10 * MINUTE, 1))));
        await("produced messages counted", () -> trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "orders", base, end, 0, 10L)).points(),
                p -> p.equals(expected(produced, base, base + 10 * MINUTE, 10, 0)));
        await("consumed messages counted", () -> trend(s.account(), "OnsTrendGroupOutputTps",
                groupQuery(s, "GID_billing", "orders", base, end, 0, 10L)).points(),
                p -> p.equals(expected(consumed, base, base + 10 * MINUTE, 10, 0)));

        for (long period : new long[] {1, 5, 10}) {
            long last = TimeBuckets.floor(end, period * MINUTE);
            for (int type : new int[] {0, 1}) {
                var in = trend(s.account(), "OnsTrendTopicInputTps", topicQuery(s, "orders", base, end, type, period));
                assertEquals(expected(produced, base, last, period, type), in.points(), "input P" + period + " T" + type);
                assertEquals(s.instance() + "%orders 接收 " + (type == 0 ? "总量" : "TPS") + " 趋势图", in.title());
                assertEquals("time", in.xUnit());
                assertEquals(type == 0 ? "msg" : "msg/s", in.yUnit());

                var out = trend(s.account(), "OnsTrendGroupOutputTps",
                        groupQuery(s, "GID_billing", "orders", base, end, type, period));
                assertEquals(expected(consumed, base, last, period, type), out.points(),
                        "output P" + period + " T" + type);
                assertEquals(s.instance() + "%orders@" + s.instance() + "%GID_billing 投递 "
                        + (type == 0 ? "总量" : "TPS") + " 趋势图", out.title());
                assertEquals(type == 0 ? "msg" : "msg/s", out.yUnit());
            }
        }
        // Spot checks of the arithmetic, independent of the helper: minute 7 had 9 messages.
        var minutes = trend(s.account(), "OnsTrendTopicInputTps", topicQuery(s, "orders", base, end, 1, 1L)).points();
        assertEquals(20, minutes.size());
        assertEquals(new Point(base + 7 * MINUTE, 9 / 60.0), minutes.get(7));
        assertEquals(new Point(base + 8 * MINUTE, 0), minutes.get(8));
        var tens = trend(s.account(), "OnsTrendTopicInputTps", topicQuery(s, "orders", base, end, 0, null)).points();
        assertEquals(List.of(new Point(base, 19), new Point(base + 10 * MINUTE, 5)), tens, "default Period is 10");
        // The other group saw one message of "orders"; the other topic one produced message.
        assertEquals(1.0, trend(s.account(), "OnsTrendGroupOutputTps",
                groupQuery(s, "GID_audit", "orders", base, end, 0, 10L)).points().get(0).y());
        assertEquals(1.0, trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "other", base, end, 0, 10L)).points().get(0).y());
    }

    @Test
    void delayedAndCommittedMessagesCountWhenTheyEnterTheTopicAndEachMessageOnce() {
        Traffic.Setup s = Traffic.Setup.create(List.of("mixed"), List.of());
        long m = TimeBuckets.minute(System.currentTimeMillis() - 20 * MINUTE);
        String delayed = Traffic.newMsgId();
        String transactional = Traffic.newMsgId();
        Traffic.publishInOrder(delayed, List.of(
                // stored at m, deliverable an hour later: produced at m
                s.event(MessageLifecycleEventType.DELAYED, "mixed", delayed, m + 1000, m + 1000, null),
                s.event(MessageLifecycleEventType.DELIVERABLE, "mixed", delayed, m + 3 * MINUTE, m + 1000, null),
                // half message at m, committed at m+2: produced at m+2
                s.event(MessageLifecycleEventType.HALF_PUBLISHED, "mixed", transactional, m + 2000, m + 2000, null),
                s.event(MessageLifecycleEventType.COMMITTED, "mixed", transactional, m + 2 * MINUTE + 5, m + 2000,
                        null),
                // a message announced twice under two event ids still counts once
                s.event(MessageLifecycleEventType.PUBLISHED, "mixed", delayed, m + 1000, m + 1000, null),
                // a rolled-back message never counts
                s.event(MessageLifecycleEventType.HALF_PUBLISHED, "mixed", Traffic.newMsgId(), m, m, null),
                // read after all of the above
                s.published("mixed", m + 4 * MINUTE)));
        List<Point> expected = List.of(new Point(m, 1), new Point(m + MINUTE, 0), new Point(m + 2 * MINUTE, 1),
                new Point(m + 3 * MINUTE, 0), new Point(m + 4 * MINUTE, 1));
        await("delayed and committed counted", () -> trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "mixed", m, m + 4 * MINUTE, 0, 1L)).points(), expected::equals);
    }

    @Test
    void aTopicOrGroupDeletedAndCreatedAgainStartsFromZero() {
        Traffic.Setup s = Traffic.Setup.create(List.of("reborn", "kept"), List.of("GID_gone"));
        long m = TimeBuckets.minute(System.currentTimeMillis() - 10 * MINUTE);
        Traffic.publishInOrder(s.instance(), List.of(s.published("reborn", m), s.published("kept", m),
                s.acked("GID_gone", "kept", m)));
        await("counted", () -> trend(s.account(), "OnsTrendGroupOutputTps",
                groupQuery(s, "GID_gone", "kept", m, m + MINUTE, 0, 1L)).points(),
                List.of(new Point(m, 1), new Point(m + MINUTE, 0))::equals);

        s.recreateTopic("reborn");
        s.deleteGroup("GID_gone");
        await("the old counts gone", () -> trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "reborn", m, m + MINUTE, 0, 1L)).points(),
                List.of(new Point(m, 0), new Point(m + MINUTE, 0))::equals);
        call(s.account(), "OnsTrendGroupOutputTps", groupQuery(s, "GID_gone", "kept", m, m + MINUTE, 0, 1L))
                .statusCode(404).body("Code", equalTo("BIZ_SUBSCRIPTION_NOT_FOUND"));
        assertEquals(List.of(new Point(m, 1), new Point(m + MINUTE, 0)), trend(s.account(), "OnsTrendTopicInputTps",
                topicQuery(s, "kept", m, m + MINUTE, 0, 1L)).points(), "other topics keep their counts");
    }

    @Test
    void anotherAccountsResourcesAnswerExactlyLikeMissingOnes() {
        Traffic.Setup owner = Traffic.Setup.create(List.of("private"), List.of("GID_private"));
        Traffic.Setup stranger = Traffic.Setup.create(List.of("private"), List.of("GID_private"));
        long now = System.currentTimeMillis();
        // Events claiming the owner's instance under another account are counted for that account only.
        MessageLifecycleEvent forged = new MessageLifecycleEvent(1, java.util.UUID.randomUUID().toString(),
                MessageLifecycleEventType.PUBLISHED, now - 5 * MINUTE, stranger.account(), owner.instance(), "private",
                Traffic.newMsgId(), 0, null, null, null, null, null, now - 5 * MINUTE, null, 0, 0L, 1, null, null,
                null, null, null, null, null);
        MessageLifecycleEvent real = owner.published("private", now - 5 * MINUTE);
        Traffic.publishInOrder(owner.instance(), List.of(forged, real));
        long begin = now - 10 * MINUTE;
        await("the owner's message", () -> trend(owner.account(), "OnsTrendTopicInputTps",
                topicQuery(owner, "private", begin, now, 0, 10L)).points().stream().mapToDouble(Point::y).sum(),
                sum -> sum == 1.0);

        String absentInstance = "MQ_INST_" + stranger.account() + "_absent";
        var foreign = call(stranger.account(), "OnsTrendTopicInputTps", topicQuery(owner, "private", begin, now, 0, 1L))
                .statusCode(404).extract().jsonPath();
        var missing = call(stranger.account(), "OnsTrendTopicInputTps",
                topicQuery(new Traffic.Setup(stranger.account(), absentInstance, 0), "private", begin, now, 0, 1L))
                .statusCode(404).extract().jsonPath();
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", foreign.getString("Code"));
        assertEquals(missing.getString("Code"), foreign.getString("Code"));
        assertEquals(missing.getString("Message").replace(absentInstance, "<id>"),
                foreign.getString("Message").replace(owner.instance(), "<id>"));
        // The stranger's own topic of the same name shows nothing of the owner's traffic, nor of the forgery
        // (which named the owner's instance).
        assertEquals(0.0, trend(stranger.account(), "OnsTrendTopicInputTps",
                topicQuery(stranger, "private", begin, now, 0, 10L)).points().stream().mapToDouble(Point::y).sum());
        call(stranger.account(), "OnsTrendGroupOutputTps", groupQuery(owner, "GID_private", "private", begin, now, 0,
                1L)).statusCode(404).body("Code", equalTo("AUTH_RESOURCE_OWNER_ERROR"));

        // In the caller's own instance: a missing topic or group.
        call(owner.account(), "OnsTrendTopicInputTps", topicQuery(owner, "absent", begin, now, 0, 1L))
                .statusCode(404).body("Code", equalTo("BIZ_TOPIC_NOT_FOUND"));
        call(owner.account(), "OnsTrendGroupOutputTps", groupQuery(owner, "GID_absent", "private", begin, now, 0, 1L))
                .statusCode(404).body("Code", equalTo("BIZ_SUBSCRIPTION_NOT_FOUND"));
        call(owner.account(), "OnsTrendGroupOutputTps", groupQuery(owner, "GID_private", "absent", begin, now, 0, 1L))
                .statusCode(404).body("Code", equalTo("BIZ_TOPIC_NOT_FOUND"));
    }

    @Test
    void rejectsInvalidParametersWithTheDocumentedErrors() {
        Traffic.Setup s = Traffic.Setup.create(List.of("t"), List.of("GID_g"));
        long now = System.currentTimeMillis();
        String topicAction = "OnsTrendTopicInputTps";
        call(s.account(), topicAction, topicQuery(s, "t", now - MINUTE, now, 2, 1L)).statusCode(400)
                .body("Code", equalTo("BIZ_FIELD_CHECK_INVALID")).body("Message", containsString("Type must be 0"));
        call(s.account(), topicAction, topicQuery(s, "t", now - MINUTE, now, 0, 3L)).statusCode(400)
                .body("Code", equalTo("BIZ_FIELD_CHECK_INVALID")).body("Message", containsString("Period must be"));
        call(s.account(), topicAction, topicQuery(s, "t", now, now, 0, 1L)).statusCode(400)
                .body("Message", containsString("must be earlier than EndTime"));
        call(s.account(), topicAction, topicQuery(s, "t", now, now - MINUTE, 0, 1L)).statusCode(400)
                .body("Code", equalTo("BIZ_FIELD_CHECK_INVALID"));
        call(s.account(), topicAction, topicQuery(s, "t", now - 25 * 60 * MINUTE, now, 0, 1L)).statusCode(400)
                .body("Message", containsString("at most 1441"));
        call(s.account(), topicAction, topicQuery(s, "t", now - 30 * 60 * MINUTE, now - 28 * 60 * MINUTE, 0, 5L))
                .statusCode(400).body("Message", containsString("Use Period=10"));
        Map<String, Object> noType = topicQuery(s, "t", now - MINUTE, now, 0, 1L);
        noType.remove("Type");
        call(s.account(), topicAction, noType).statusCode(400).body("Code", equalTo("MissingParameter"))
                .body("Message", containsString("\"Type\""));
        Map<String, Object> noBegin = groupQuery(s, "GID_g", "t", now - MINUTE, now, 0, 1L);
        noBegin.remove("BeginTime");
        call(s.account(), "OnsTrendGroupOutputTps", noBegin).statusCode(400).body("Code", equalTo("MissingParameter"));
        // Validation comes before the resource lookup: a bad Period on a missing topic is a parameter error.
        call(s.account(), topicAction, topicQuery(s, "absent", now - MINUTE, now, 0, 7L)).statusCode(400);
        // A range that lies in the future answers no points; one from before the retention neither.
        var future = trend(s.account(), topicAction, topicQuery(s, "t", now + 60 * MINUTE, now + 70 * MINUTE, 0, 1L));
        assertEquals(List.of(), future.points());
        var ancient = trend(s.account(), topicAction, topicQuery(s, "t", now - 5L * 24 * 60 * MINUTE,
                now - 4L * 24 * 60 * MINUTE, 0, 10L));
        assertEquals(List.of(), ancient.points());
    }
}
