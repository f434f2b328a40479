package io.openons.trace.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.trace.trace.TraceEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads the lifecycle events of the Kafka topic. Events this version cannot use are skipped with a reason (counted
 * in the metrics) rather than stopping the ingestion: unreadable JSON, another schema version, a type this version
 * does not know (the contract asks consumers to ignore them), or an event without the fields a trace needs.
 */
@ApplicationScoped
public class LifecycleEventReader {

    private final ObjectReader reader;

    LifecycleEventReader(ObjectMapper json) {
        this.reader = json.readerFor(MessageLifecycleEvent.class)
                .with(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** An event ready to store, or the reason it was skipped. */
    public record Read(TraceEvent event, String skipReason) {
    }

    public Read read(byte[] value) {
        if (value == null || value.length == 0) {
            return skip("empty");
        }
        MessageLifecycleEvent e;
        try {
            e = reader.readValue(value);
        } catch (IOException ex) {
            return skip("unreadable");
        }
        if (e.schemaVersion() != MessageLifecycleEvent.SCHEMA_VERSION) {
            return skip("schema-version");
        }
        if (e.type() == null) {
            return skip("unknown-type");
        }
        if (blank(e.eventId()) || blank(e.msgId()) || blank(e.instanceId()) || blank(e.topic())
                || e.occurredAt() <= 0) {
            return skip("incomplete");
        }
        return new Read(new TraceEvent(eventUuid(e.eventId()), e.msgId(), e.instanceId(), e.topic(), e.type(),
                e.occurredAt(), e.tag(), e.keys(), e.bornHost(), e.producerGroup(), e.bornTimestamp(),
                e.storeTimestamp(), e.deliverAt(), e.costMillis(), e.groupId(), e.clientId(), e.clientHost(),
                e.reconsumeTimes(), e.deliveredAt()), null);
    }

    /**
     * The event id as a UUID (the contract's format); any other string maps to a name-based UUID, so that the
     * same id still deduplicates.
     */
    static UUID eventUuid(String eventId) {
        try {
            return UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            return UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Read skip(String reason) {
        return new Read(null, reason);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
