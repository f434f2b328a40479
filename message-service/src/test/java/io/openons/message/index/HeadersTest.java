package io.openons.message.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.openons.message.kafka.MessageHeaders;
import io.openons.message.model.MessageIds;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The Kafka header convention, read from records of the suite and of plain Kafka producers. */
class HeadersTest {

    private static ConsumerRecord<byte[], byte[]> record(RecordHeaders headers, long timestamp) {
        return new ConsumerRecord<>("I.T", 2, 17, timestamp, TimestampType.CREATE_TIME, -1, -1, null,
                "body".getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }

    @Test
    void readsWhatThePublishPathWrites() {
        RecordHeaders headers = new RecordHeaders(MessageHeaders.of("ABC", "TagA",
                Map.of("KEYS", "k1 k2", "color", "red", "__STARTDELIVERTIME", "5000"), "1.2.3.4:5", 900, "GID_p"));
        MessageHeaders.Decoded d = MessageHeaders.decode(record(headers, 1000));
        assertEquals("ABC", d.msgId());
        assertEquals("TagA", d.tag());
        assertEquals(List.of("k1", "k2"), d.keys());
        assertEquals(Map.of("KEYS", "k1 k2", "color", "red", "__STARTDELIVERTIME", "5000"), d.properties());
        assertEquals("1.2.3.4:5", d.bornHost());
        assertEquals(900, d.bornTimestamp());
        assertEquals("GID_p", d.producerGroup());
        assertEquals(5000L, d.deliverAt());
    }

    @Test
    void aPlainRecordGetsAnIdFromItsPosition() {
        MessageHeaders.Decoded d = MessageHeaders.decode(record(new RecordHeaders(), 1000));
        assertEquals(MessageIds.forPosition("I.T", 2, 17), d.msgId());
        assertNull(d.tag());
        assertEquals(List.of(), d.keys());
        assertEquals(1000, d.bornTimestamp());
        assertNull(d.deliverAt());
        RecordHeaders past = new RecordHeaders();
        past.add("__STARTDELIVERTIME", "999".getBytes(StandardCharsets.UTF_8));
        assertNull(MessageHeaders.decode(record(past, 1000)).deliverAt(), "a past delivery time is no delay");
    }
}
