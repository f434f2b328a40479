package io.openons.trace.trace;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the traces a query job answers with: the events of the matching messages, folded into one trace per
 * message ({@link TraceAssembler}).
 */
@ApplicationScoped
public class TraceSearch {

    private final TraceEventRepository events;

    TraceSearch(TraceEventRepository events) {
        this.events = events;
    }

    /**
     * The trace of one message when it was published within [from, to] (a message whose publish record was never
     * received is placed at its first event).
     */
    public List<TraceMapDo> byMsgId(String instanceId, String topic, String msgId, long from, long to)
            throws SQLException {
        List<TraceEvent> found = events.eventsOf(instanceId, topic, List.of(msgId)).get(msgId);
        if (found == null || found.isEmpty()) {
            return List.of();
        }
        TraceAssembler.MessageTrace trace = TraceAssembler.assemble(msgId, topic, found);
        return trace.messageTime() >= from && trace.messageTime() <= to ? List.of(trace.trace()) : List.of();
    }

    /** The traces of the messages with this key published within [from, to], earliest first, at most {@code max}. */
    public List<TraceMapDo> byMsgKey(String instanceId, String topic, String key, long from, long to, int max)
            throws SQLException {
        List<String> ids = events.messagesWithKey(instanceId, topic, key, from, to, max);
        Map<String, List<TraceEvent>> byMessage = events.eventsOf(instanceId, topic, ids);
        List<TraceMapDo> traces = new ArrayList<>(ids.size());
        for (String id : ids) {
            List<TraceEvent> found = byMessage.get(id);
            if (found != null && !found.isEmpty()) {
                traces.add(TraceAssembler.assemble(id, topic, found).trace());
            }
        }
        return traces;
    }
}
