package io.openons.message.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.openons.contracts.messaging.AckMode;
import io.openons.contracts.messaging.ConsumeMode;
import io.openons.contracts.messaging.PublishReceipt;
import io.openons.message.support.Flow;
import io.openons.message.support.TestResources;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Half messages: invisible until committed, rolled-back ones never delivered, handles used once. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class HalfMessageTest {

    private static final String ACCOUNT = "1000000000000303";

    @Test
    void commitPublishesWithTheSameIdAndRollbackDiscards() {
        String instance = TestResources.newInstance(ACCOUNT);
        String topic = TestResources.unique("tx");
        TestResources.newTopic(ACCOUNT, instance, topic, 4, 6);
        String group = "GID_" + TestResources.unique("c");
        String producer = "GID_" + TestResources.unique("p");
        TestResources.newGroup(ACCOUNT, instance, group, "http", true);
        TestResources.newGroup(ACCOUNT, instance, producer, "http", true);
        Flow flow = new Flow(ACCOUNT, instance, topic);
        PublishReceipt keep = flow.publish("keep", null, Map.of("__TransCheckT", "30"));
        PublishReceipt drop = flow.publish("drop", null, Map.of("__TransCheckT", "30"));
        assertNotNull(keep.receiptHandle());
        assertEquals(-1, keep.partition(), "not in the topic log yet");
        assertEquals(List.of(), flow.consume(group, 16, 1, null, ConsumeMode.NORMAL));
        assertEquals(List.of(), flow.consume(producer, 16, 0, null, ConsumeMode.HALF), "not before the immunity time");

        assertEquals(List.of(), flow.ack(producer, List.of(keep.receiptHandle()), AckMode.COMMIT));
        assertEquals(List.of(), flow.ack(producer, List.of(drop.receiptHandle()), AckMode.ROLLBACK));
        assertEquals(1, flow.ack(producer, List.of(keep.receiptHandle()), AckMode.COMMIT).size(), "used once");
        assertEquals(1, flow.ack(producer, List.of(drop.receiptHandle()), AckMode.COMMIT).size(), "rolled back");

        var got = flow.consumeAll(group, 1, null, ConsumeMode.NORMAL, 15_000);
        assertEquals(keep.msgId(), got.get(0).msgId());
        assertEquals("30", got.get(0).properties().get("__TransCheckT"));
        flow.ack(group, List.of(got.get(0).receiptHandle()), AckMode.ACK);
        assertEquals(List.of(), flow.consume(group, 16, 2, null, ConsumeMode.NORMAL));
    }
}
