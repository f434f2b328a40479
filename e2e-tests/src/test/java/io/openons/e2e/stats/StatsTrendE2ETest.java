package io.openons.e2e.stats;

import static io.openons.e2e.stats.TrendCharts.MINUTE;
import static io.openons.e2e.stats.TrendCharts.expected;
import static io.openons.e2e.stats.TrendCharts.groupOutput;
import static io.openons.e2e.stats.TrendCharts.topicInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.exceptions.ClientException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.e2e.Fixtures;
import io.openons.e2e.OnsApi;
import io.openons.e2e.Suite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The trend Actions through the gateway with the official ONS SDK, in JSON and XML, over lifecycle events
 * published to Kafka exactly as message-service publishes them (the contract record as JSON, keyed by message
 * id). This covers stats-service, the gateway and the SDK's parsing without needing the messaging data plane;
 * {@link StatsTrafficE2ETest} covers the same with real messages through mq-http-sdk.
 */
class StatsTrendE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OnsApi api;
    private static String instance;

    @BeforeAll
    static void setUp() throws Exception {
        api = OnsApi.newAccount(Suite.get(), "stats-trends");
        instance = Fixtures.instance(api);
        Fixtures.topic(api, instance, "orders", 0);
        Fixtures.topic(api, instance, "sentinel", 0);
        Fixtures.group(api, instance, "GID_billing", "http");
    }

    private static MessageLifecycleEvent event(MessageLifecycleEventType type, String topic, long time, String group) {
        String msgId = UUID.randomUUID().toString().replace("-", "").toUpperCase();
        return new MessageLifecycleEvent(MessageLifecycleEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, time,
                api.accountId(), instance, topic, msgId, 0, "TagA", null, "127.0.0.1:40000", null, time, time, null, 0,
                0L, 64, 2L, group, group == null ? null : "client-1", null, group == null ? null : 0, null, null);
    }

    private static void publish(List<MessageLifecycleEvent> events) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Suite.get().kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<Future<?>> sent = new ArrayList<>();
            for (MessageLifecycleEvent e : events) {
                sent.add(producer.send(new ProducerRecord<>(EventTopics.MESSAGE_LIFECYCLE, e.msgId(),
                        JSON.writeValueAsString(e))));
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void bothTrendsAnswerExactCountsForEveryPeriodAndTypeInJsonAndXml() throws Exception {
        long base = Math.floorDiv(System.currentTimeMillis() - 45 * MINUTE, 10 * MINUTE) * 10 * MINUTE;
        Map<Long, Integer> produced = new TreeMap<>(Map.of(base, 6, base + 3 * MINUTE, 11, base + 9 * MINUTE, 1,
                base + 10 * MINUTE, 4, base + 17 * MINUTE, 8));
        Map<Long, Integer> consumed = new TreeMap<>(Map.of(base + MINUTE, 5, base + 9 * MINUTE, 12,
                base + 16 * MINUTE, 3));
        List<MessageLifecycleEvent> events = new ArrayList<>();
        produced.forEach((m, n) -> {
            for (int i = 0; i < n; i++) {
                events.add(event(MessageLifecycleEventType.PUBLISHED, "orders", m + i * 1000L, null));
                // every message is also delivered once: deliveries are not consumption
                events.add(event(MessageLifecycleEventType.DELIVERED, "orders", m + i * 1000L + 10, "GID_billing"));
            }
        });
        consumed.forEach((m, n) -> {
            for (int i = 0; i < n; i++) {
                events.add(event(MessageLifecycleEventType.ACKED, "orders", m + 59_000 - i, "GID_billing"));
            }
        });
        publish(events);
        long end = base + 19 * MINUTE;
        long deadline = System.currentTimeMillis() + 60_000;
        while (!topicInput(api, instance, "orders", base, end, 0, 1L).points()
                .equals(expected(produced, base, end, 1, 0))
                || !groupOutput(api, instance, "GID_billing", "orders", base, end, 0, 1L).points()
                        .equals(expected(consumed, base, end, 1, 0))) {
            assertTrue(System.currentTimeMillis() < deadline, "the counts did not become visible within 60 s");
            Thread.sleep(250);
        }

        for (OnsApi format : List.of(api, api.xml())) {
            for (long period : new long[] {1, 5, 10}) {
                for (int type : new int[] {0, 1}) {
                    String what = format.format() + " Period=" + period + " Type=" + type;
                    TrendCharts.Chart in = topicInput(format, instance, "orders", base, end, type, period);
                    assertEquals(expected(produced, base, end, period, type), in.points(), "input " + what);
                    assertEquals(instance + "%orders 接收 " + (type == 0 ? "总量" : "TPS") + " 趋势图", in.title());
                    assertEquals("time", in.xUnit());
                    assertEquals(type == 0 ? "msg" : "msg/s", in.yUnit());
                    TrendCharts.Chart out = groupOutput(format, instance, "GID_billing", "orders", base, end, type,
                            period);
                    assertEquals(expected(consumed, base, end, period, type), out.points(), "output " + what);
                    assertEquals(instance + "%orders@" + instance + "%GID_billing 投递 " + (type == 0 ? "总量" : "TPS")
                            + " 趋势图", out.title());
                }
            }
        }
        // Without Period: 10-minute periods, as in the documented example.
        assertEquals(List.of(new TrendCharts.Point(base, 18), new TrendCharts.Point(base + 10 * MINUTE, 12)),
                topicInput(api, instance, "orders", base, end, 0, null).points());
        // An idle topic answers zeros at every period.
        assertEquals(expected(Map.of(), base, end, 5, 1),
                topicInput(api, instance, "sentinel", base, end, 1, 5L).points());
    }

    private static String code(Executable call) {
        return assertThrows(ClientException.class, call).getErrCode();
    }

    @Test
    void invalidQueriesGetTheDocumentedErrors() {
        long now = System.currentTimeMillis();
        assertEquals("BIZ_FIELD_CHECK_INVALID", code(() -> topicInput(api, instance, "orders", now - MINUTE, now, 0,
                2L)));
        assertEquals("BIZ_FIELD_CHECK_INVALID", code(() -> topicInput(api, instance, "orders", now, now - MINUTE, 0,
                1L)));
        assertEquals("BIZ_FIELD_CHECK_INVALID", code(() -> groupOutput(api, instance, "GID_billing", "orders",
                now - MINUTE, now, 3, 1L)));
        assertEquals("BIZ_FIELD_CHECK_INVALID", code(() -> topicInput(api, instance, "orders",
                now - 2 * 24 * 60 * MINUTE, now, 0, 1L)));
        assertEquals("BIZ_TOPIC_NOT_FOUND", code(() -> topicInput(api, instance, "absent", now - MINUTE, now, 0,
                1L)));
        assertEquals("BIZ_SUBSCRIPTION_NOT_FOUND", code(() -> groupOutput(api, instance, "GID_absent", "orders",
                now - MINUTE, now, 0, 1L)));
    }

    @Test
    void anotherAccountsTopicsAndGroupsAnswerLikeMissingOnes() throws Exception {
        OnsApi stranger = OnsApi.newAccount(Suite.get(), "stats-stranger");
        long now = System.currentTimeMillis();
        String missing = "MQ_INST_" + api.accountId() + "_zzzzzzzz";
        assertEquals(code(() -> topicInput(stranger, missing, "orders", now - MINUTE, now, 0, 1L)),
                code(() -> topicInput(stranger, instance, "orders", now - MINUTE, now, 0, 1L)));
        assertEquals(code(() -> groupOutput(stranger, missing, "GID_billing", "orders", now - MINUTE, now, 0, 1L)),
                code(() -> groupOutput(stranger, instance, "GID_billing", "orders", now - MINUTE, now, 0, 1L)));
    }
}
