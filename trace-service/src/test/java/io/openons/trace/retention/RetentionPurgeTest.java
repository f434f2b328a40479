package io.openons.trace.retention;

import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISHED;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.openons.testsupport.InfraResource;
import io.openons.trace.Catalog;
import io.openons.trace.Lifecycle;
import io.openons.trace.TestDb;
import io.openons.trace.TestKafka;
import io.openons.trace.TraceApi;
import io.openons.trace.config.TraceConfig;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Traces follow the message retention; a delayed message's publication counts from its delivery time. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class RetentionPurgeTest {

    private static final String EVENTS_OF = "SELECT count(*) FROM trace.trace_event WHERE msg_id = ?";
    private static final String KEYS_OF = "SELECT count(*) FROM trace.trace_key WHERE msg_id = ?";

    @Inject
    AgroalDataSource db;

    @Inject
    RetentionPurger purger;

    @Inject
    TraceConfig config;

    @Test
    void removesTracesOlderThanTheRetentionAndKeepsTheRest() throws Exception {
        String account = TraceApi.newAccount();
        String instance = Catalog.instance(account);
        Catalog.topic(account, instance, "kept");
        long now = System.currentTimeMillis();
        long retention = config.retention().toMillis();
        long old = now - retention - 60_000;

        Lifecycle expired = Lifecycle.message(account, instance, "kept").keys("K_OLD");
        Lifecycle recent = Lifecycle.message(account, instance, "kept").keys("K_NEW");
        Lifecycle delayedLong = Lifecycle.message(account, instance, "kept", 5).keys("K_DELAYED");
        TestKafka.lifecycle(
                expired.publish(PUBLISHED, old), expired.delivered("GID_k", "c", 0, old + 10),
                recent.publish(PUBLISHED, now - 1_000),
                // published before the retention window, delivered only tomorrow: kept
                delayedLong.delayed(old, now + 86_400_000L));
        TestDb.awaitCount(db, 2, 20_000, EVENTS_OF, expired.msgId());
        TestDb.awaitCount(db, 1, 20_000, EVENTS_OF, recent.msgId());
        TestDb.awaitCount(db, 1, 20_000, EVENTS_OF, delayedLong.msgId());

        String oldJob = TraceJobRows.insertFinished(db, account, instance, "kept", expired.msgId(), retention + 1_000);
        RetentionPurger.Purged purged = purger.purge(now);

        assertEquals(0, TestDb.count(db, EVENTS_OF, expired.msgId()));
        assertEquals(0, TestDb.count(db, KEYS_OF, expired.msgId()));
        assertEquals(1, TestDb.count(db, EVENTS_OF, recent.msgId()));
        assertEquals(1, TestDb.count(db, KEYS_OF, recent.msgId()));
        assertEquals(1, TestDb.count(db, EVENTS_OF, delayedLong.msgId()));
        assertEquals(1, TestDb.count(db, KEYS_OF, delayedLong.msgId()));
        assertEquals(true, purged.events() >= 2 && purged.keys() >= 1 && purged.jobs() >= 1, purged.toString());

        JsonPath gone = TraceApi.awaitFinished(account,
                TraceApi.queryByMsgId(account, instance, "kept", expired.msgId(), old - 1_000, now), 10_000);
        assertEquals(List.of(), gone.getList("TraceData.TraceList.TraceMapDo"));
        JsonPath delayed = TraceApi.awaitFinished(account,
                TraceApi.queryByMsgKey(account, instance, "kept", "K_DELAYED", old - 1_000, now), 10_000);
        assertEquals("SEND_DELAY", delayed.getString("TraceData.TraceList.TraceMapDo[0].Status"));
        TraceApi.call(account, "OnsTraceGetResult", Map.of("QueryId", oldJob)).statusCode(404)
                .body("Code", equalTo("BIZ_TRACE_QUERY_NOT_FOUND"));
    }

    /** Job rows as they look after a given age. */
    static final class TraceJobRows {
        static String insertFinished(AgroalDataSource db, String account, String instance, String topic,
                String msgId, long ageMillis) {
            String id = io.openons.trace.Lifecycle.newMsgId();
            TestDb.update(db, """
                    INSERT INTO trace.trace_job (query_id, account_id, region_id, instance_id, topic, msg_id,
                        begin_time, end_time, status, created_at, updated_at, finished_at, attempts, trace_count, result)
                    VALUES (?, ?, ?, ?, ?, ?, 0, 1, 'finish', clock_timestamp() - ? * interval '1 millisecond',
                        clock_timestamp() - ? * interval '1 millisecond',
                        clock_timestamp() - ? * interval '1 millisecond', 1, 0, '{"TraceMapDo":[]}')""",
                    id, account, Catalog.REGION, instance, topic, msgId, ageMillis, ageMillis, ageMillis);
            return id;
        }
    }
}
