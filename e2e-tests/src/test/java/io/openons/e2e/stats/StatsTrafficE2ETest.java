package io.openons.e2e.stats;

import static io.openons.e2e.stats.TrendCharts.MINUTE;
import static io.openons.e2e.stats.TrendCharts.expected;
import static io.openons.e2e.stats.TrendCharts.groupOutput;
import static io.openons.e2e.stats.TrendCharts.minute;
import static io.openons.e2e.stats.TrendCharts.topicInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.common.ServiceException;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyuncs.ons.model.v20190214.OnsConsumerAccumulateRequest;
import io.openons.e2e.Accounts;
import io.openons.e2e.Fixtures;
import io.openons.e2e.Names;
import io.openons.e2e.OnsApi;
import io.openons.e2e.Suite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Tried as a new user would: messages published and consumed with the official mq-http-sdk for several
 * minutes, a known number per minute, then both trend Actions through the official ONS SDK answer exactly
 * those counts per period (Type 0) and those counts per second (Type 1), for Period 1, 5 and 10.
 *
 * <p>Needs the messaging data plane (issue 3). The test takes about four minutes of wall time: it uses the
 * minute boundaries of the run itself. What a minute's messages are counted under is decided by the server:
 * the store time for published messages (reported back to the consumer as PublishTime) and the acknowledgement
 * for consumed ones, so every acknowledgement is made well inside its minute.
 */
class StatsTrafficE2ETest {

    /** Messages per minute slot; different counts so that a message counted in the wrong minute shows. */
    private static final int[] PLAN = {9, 14, 5, 11};
    /** No acknowledgement starts this close to the end of a minute (its minute would be uncertain). */
    private static final long ACK_MARGIN_MS = 5_000;

    @Test
    void bothTrendsCountExactlyWhatWasPublishedAndConsumedPerMinute() throws Exception {
        Suite suite = Suite.get();
        Accounts.Key key = Accounts.create(suite, "stats-traffic");
        OnsApi api = OnsApi.of(suite, key.accessKeyId(), key.accessKeySecret());
        String instance = Fixtures.instance(api);
        String topic = Names.unique("trend");
        String group = Names.groupId("trend");
        Fixtures.topic(api, instance, topic, 0);
        Fixtures.group(api, instance, group, "http");

        MQClient client = new MQClient(suite.endpoint(), key.accessKeyId(), key.accessKeySecret());
        Map<Long, Integer> publishedPerMinute = new TreeMap<>();
        Map<Long, Integer> ackedPerMinute = new TreeMap<>();
        long first;
        try {
            MQProducer producer = client.getProducer(instance, topic);
            MQConsumer consumer = client.getConsumer(instance, topic, group, null);
            // Start in the current minute when enough of it is left, else in the next one.
            long now = System.currentTimeMillis();
            first = now - minute(now) < 30_000 ? minute(now) : minute(now) + MINUTE;
            for (int slot = 0; slot < PLAN.length; slot++) {
                long slotStart = first + slot * MINUTE;
                sleepUntil(slotStart + 500);
                Set<String> sent = new HashSet<>();
                for (int i = 0; i < PLAN[slot]; i++) {
                    TopicMessage message = new TopicMessage(("slot " + slot + " #" + i).getBytes(
                            StandardCharsets.UTF_8), "stats");
                    sent.add(producer.publishMessage(message).getMessageId());
                }
                Set<String> received = new HashSet<>();
                while (!received.containsAll(sent)) {
                    assertTrue(System.currentTimeMillis() < slotStart + MINUTE - ACK_MARGIN_MS - 2_000,
                            "slot " + slot + ": only " + received.size() + " of " + sent.size()
                                    + " messages consumed within the minute");
                    List<Message> messages;
                    try {
                        messages = consumer.consumeMessage(16, 1);
                    } catch (ServiceException e) {
                        if ("MessageNotExist".equals(e.getErrorCode())) {
                            continue; // the long poll ended with nothing to consume yet
                        }
                        throw e;
                    }
                    if (messages == null || messages.isEmpty()) {
                        continue;
                    }
                    List<String> handles = new ArrayList<>();
                    for (Message m : messages) {
                        assertTrue(sent.contains(m.getMessageId()), "only this minute's messages are pending");
                        if (received.add(m.getMessageId())) {
                            // The server's store time decides the minute a published message counts in.
                            publishedPerMinute.merge(minute(m.getPublishTime()), 1, Integer::sum);
                        }
                        handles.add(m.getReceiptHandle());
                    }
                    long before = System.currentTimeMillis();
                    assertTrue(before < slotStart + MINUTE - ACK_MARGIN_MS, "acknowledging too late in the minute");
                    consumer.ackMessage(handles);
                    long after = System.currentTimeMillis();
                    assertEquals(minute(before), minute(after), "an acknowledgement crossed a minute boundary");
                    ackedPerMinute.merge(minute(before), handles.size(), Integer::sum);
                }
            }
        } finally {
            client.close();
        }
        long last = first + (PLAN.length - 1) * MINUTE;
        int total = 0;
        for (int n : PLAN) {
            total += n;
        }
        assertEquals(total, publishedPerMinute.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(total, ackedPerMinute.values().stream().mapToInt(Integer::intValue).sum());
        for (int slot = 0; slot < PLAN.length; slot++) {
            assertEquals(PLAN[slot], ackedPerMinute.getOrDefault(first + slot * MINUTE, 0), "acked in slot " + slot);
        }

        // The counts become visible within seconds of the last acknowledgement.
        long begin = first;
        long end = last + 30_000;
        long deadline = System.currentTimeMillis() + 30_000;
        while (!topicInput(api, instance, topic, begin, end, 0, 1L).points()
                .equals(expected(publishedPerMinute, begin, end, 1, 0))
                || !groupOutput(api, instance, group, topic, begin, end, 0, 1L).points()
                        .equals(expected(ackedPerMinute, begin, end, 1, 0))) {
            assertTrue(System.currentTimeMillis() < deadline, "trend counts did not match within 30 s: input "
                    + topicInput(api, instance, topic, begin, end, 0, 1L).points() + " expected "
                    + expected(publishedPerMinute, begin, end, 1, 0));
            Thread.sleep(500);
        }
        for (long period : new long[] {1, 5, 10}) {
            for (int type : new int[] {0, 1}) {
                String what = "Period=" + period + " Type=" + type;
                assertEquals(expected(publishedPerMinute, begin, end, period, type),
                        topicInput(api, instance, topic, begin, end, type, period).points(), "input " + what);
                assertEquals(expected(ackedPerMinute, begin, end, period, type),
                        groupOutput(api, instance, group, topic, begin, end, type, period).points(), "output " + what);
            }
        }

        // OnsConsumerAccumulate's ConsumeTps comes from the same aggregates: the acknowledgements of the last
        // finished minute per second (issue 6, item 3).
        OnsConsumerAccumulateRequest accumulate = new OnsConsumerAccumulateRequest();
        accumulate.setInstanceId(instance);
        accumulate.setGroupId(group);
        long tpsDeadline = System.currentTimeMillis() + 30_000;
        while (true) {
            long lastFinished = minute(System.currentTimeMillis()) - MINUTE;
            Float tps = api.call(accumulate).getData().getConsumeTps();
            double expectedTps = ackedPerMinute.getOrDefault(lastFinished, 0) / 60.0;
            if (tps != null && Math.abs(tps - expectedTps) < 0.001
                    && minute(System.currentTimeMillis()) - MINUTE == lastFinished) {
                break;
            }
            assertTrue(System.currentTimeMillis() < tpsDeadline, "ConsumeTps " + tps + " in the minute after "
                    + lastFinished + ", expected " + expectedTps + " (acks per minute: " + ackedPerMinute + ")");
            Thread.sleep(1_000);
        }
    }

    private static void sleepUntil(long time) throws InterruptedException {
        long wait = time - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
