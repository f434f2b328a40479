package io.openons.trace.ingest;

import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.openons.contracts.event.EventTopics;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.testsupport.InfraResource;
import io.openons.trace.Catalog;
import io.openons.trace.Lifecycle;
import io.openons.trace.TestDb;
import io.openons.trace.TestKafka;
import io.openons.trace.TraceApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Ingestion of the lifecycle topic: idempotent, robust to events it cannot use, offsets after the database. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class LifecycleIngestionTest {

    private static final String EVENTS_OF = "SELECT count(*) FROM trace.trace_event WHERE msg_id = ?";

    @Inject
    AgroalDataSource db;

    @Inject
    MeterRegistry metrics;

    private double counter(String name, String... tags) {
        var counter = metrics.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anEventDeliveredTwiceIsStoredAndCountedOnce() {
        String account = TraceApi.newAccount();
        String instance = Catalog.instance(account);
        Catalog.topic(account, instance, "dup");
        long t = System.currentTimeMillis() - 10_000;
        Lifecycle m = Lifecycle.message(account, instance, "dup");
        MessageLifecycleEvent delivered = m.delivered("GID_d", "c1", 0, t + 10);
        MessageLifecycleEvent acked = m.acked("GID_d", "c1", 0, t + 10, t + 30);
        double duplicatesBefore = counter("ons.trace.events.duplicate");

        TestKafka.lifecycle(m.publish(PUBLISHED, t), delivered, acked);
        TestDb.awaitCount(db, 3, 20_000, EVENTS_OF, m.msgId());
        // redelivered later, in another poll, as after a crash before the offset commit
        TestKafka.lifecycle(acked, delivered);
        MessageLifecycleEvent marker = m.plain(io.openons.contracts.event.MessageLifecycleEventType.DEAD_LETTERED,
                t + 40);
        TestKafka.lifecycle(marker);
        TestDb.awaitCount(db, 4, 20_000, EVENTS_OF, m.msgId());

        assertEquals(1, TestDb.count(db, "SELECT count(*) FROM trace.trace_event WHERE event_id = ?::uuid",
                acked.eventId()));
        assertTrue(counter("ons.trace.events.duplicate") - duplicatesBefore >= 2);
        JsonPath trace = TraceApi.awaitFinished(account, TraceApi.queryByMsgId(account, instance, "dup", m.msgId(),
                t - 1_000, t + 1_000), 10_000);
        String group = "TraceData.TraceList.TraceMapDo[0].SubList.SubMapDo[0].";
        assertEquals(1, trace.getList(group + "ClientList.SubClientInfoDo").size());
        assertEquals(1, trace.getInt(group + "SuccessCount"));
        assertEquals(0, trace.getInt(group + "FailCount"));
    }

    @Test
    void eventsItCannotUseAreSkippedWithoutStoppingTheIngestion() {
        String account = TraceApi.newAccount();
        String instance = Catalog.instance(account);
        Catalog.topic(account, instance, "odd");
        Lifecycle m = Lifecycle.message(account, instance, "odd");
        long t = System.currentTimeMillis();
        double unreadable = counter("ons.trace.events.skipped", "reason", "unreadable");
        double version = counter("ons.trace.events.skipped", "reason", "schema-version");
        double type = counter("ons.trace.events.skipped", "reason", "unknown-type");
        double incomplete = counter("ons.trace.events.skipped", "reason", "incomplete");
        double empty = counter("ons.trace.events.skipped", "reason", "empty");

        TestKafka.raw(m.msgId(), "{not json");
        TestKafka.raw(m.msgId(), "{\"schemaVersion\":2,\"eventId\":\"e1\",\"type\":\"PUBLISHED\",\"occurredAt\":1,"
                + "\"msgId\":\"" + m.msgId() + "\",\"instanceId\":\"" + instance + "\",\"topic\":\"odd\"}");
        TestKafka.raw(m.msgId(), "{\"schemaVersion\":1,\"eventId\":\"e2\",\"type\":\"TELEPORTED\",\"occurredAt\":1,"
                + "\"msgId\":\"" + m.msgId() + "\",\"instanceId\":\"" + instance + "\",\"topic\":\"odd\"}");
        TestKafka.raw(m.msgId(), "{\"schemaVersion\":1,\"eventId\":\"e3\",\"type\":\"PUBLISHED\",\"occurredAt\":1,"
                + "\"instanceId\":\"" + instance + "\",\"topic\":\"odd\"}");
        TestKafka.raw(m.msgId(), null);
        TestKafka.lifecycle(m.publish(PUBLISHED, t));

        TestDb.awaitCount(db, 1, 20_000, EVENTS_OF, m.msgId());
        assertEquals(1, counter("ons.trace.events.skipped", "reason", "unreadable") - unreadable);
        assertEquals(1, counter("ons.trace.events.skipped", "reason", "schema-version") - version);
        assertEquals(1, counter("ons.trace.events.skipped", "reason", "unknown-type") - type);
        assertEquals(1, counter("ons.trace.events.skipped", "reason", "incomplete") - incomplete);
        assertEquals(1, counter("ons.trace.events.skipped", "reason", "empty") - empty);
    }

    @Test
    void offsetsAreCommittedOnlyOnceTheDatabaseHasTheEvents() throws Exception {
        String account = TraceApi.newAccount();
        String instance = Catalog.instance(account);
        Lifecycle m = Lifecycle.message(account, instance, "stuck");
        String poisonId = Lifecycle.newMsgId();
        double failuresBefore = counter("ons.trace.ingest.failures");
        // The database refuses one message id for a while: its batch must neither be skipped nor committed.
        TestDb.update(db, "ALTER TABLE trace.trace_event ADD CONSTRAINT test_refuse CHECK (msg_id <> '"
                + poisonId + "') NOT VALID");
        try {
            MessageLifecycleEvent refused = new MessageLifecycleEvent(1, java.util.UUID.randomUUID().toString(),
                    PUBLISHED, System.currentTimeMillis(), account, instance, "stuck", poisonId, 0, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            TestKafka.lifecycle(refused);
            TestKafka.lifecycle(m.publish(PUBLISHED, System.currentTimeMillis()));
            long deadline = System.currentTimeMillis() + 20_000;
            while (counter("ons.trace.ingest.failures") - failuresBefore < 2 && System.currentTimeMillis() < deadline) {
                TraceApi.sleep(50);
            }
            assertTrue(counter("ons.trace.ingest.failures") - failuresBefore >= 2, "the batch was retried");
            assertEquals(0, TestDb.count(db, EVENTS_OF, poisonId));
            assertTrue(lagOfPartitionOf(poisonId) > 0, "the refused event's offset was not committed");
        } finally {
            TestDb.update(db, "ALTER TABLE trace.trace_event DROP CONSTRAINT test_refuse");
        }
        TestDb.awaitCount(db, 1, 20_000, EVENTS_OF, poisonId);
        TestDb.awaitCount(db, 1, 20_000, EVENTS_OF, m.msgId());
        long deadline = System.currentTimeMillis() + 20_000;
        while (lagOfPartitionOf(poisonId) > 0 && System.currentTimeMillis() < deadline) {
            TraceApi.sleep(100);
        }
        assertEquals(0, lagOfPartitionOf(poisonId), "committed once stored");
    }

    /** End offset minus the trace-service group's committed offset, on the partition of a message id. */
    private long lagOfPartitionOf(String msgId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            int partitions = admin.describeTopics(List.of(EventTopics.MESSAGE_LIFECYCLE)).allTopicNames().get()
                    .get(EventTopics.MESSAGE_LIFECYCLE).partitions().size();
            int partition = TestKafka.producer().partitionsFor(EventTopics.MESSAGE_LIFECYCLE).size() == partitions
                    ? org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                            msgId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions
                    : 0;
            TopicPartition tp = new TopicPartition(EventTopics.MESSAGE_LIFECYCLE, partition);
            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("trace-service")
                    .partitionsToOffsetAndMetadata().get().get(tp);
            return end - (committed == null ? 0 : committed.offset());
        }
    }
}
