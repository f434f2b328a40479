package io.openons.message.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.MessageLifecycleEvent;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.contracts.event.ResourceEvent;
import io.openons.message.config.MessageConfig;
import io.openons.message.consume.ArrivalBus;
import io.openons.message.jdbc.Jdbc;
import io.openons.message.kafka.MessageKafka;
import io.openons.message.lifecycle.EventBuilder;
import io.openons.message.lifecycle.LifecycleEvents;
import io.openons.message.query.MessageObject;
import io.openons.message.query.QueryService;
import io.openons.service.api.ItemList;
import io.openons.service.catalog.ResourceCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The dead-letter Actions: OnsDLQMessageGetById, OnsDLQMessagePageQueryByGroupId (a time range of dead-lettering,
 * paged under a TaskId like OnsMessagePageQueryByTopic) and OnsDLQMessageResendById (docs/decisions/
 * 0501-retries-and-dead-letters.md). A dead letter shows its original id, body and properties, the reconsume count
 * it reached, and as StoreTimestamp the time it entered the dead-letter queue.
 */
@ApplicationScoped
public class DeadLetterService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "entry_id, msg_id, instance_id, topic, kafka_partition, kafka_offset, "
            + "store_size, reconsume_times, dead_at, born_timestamp, born_host, body_crc, body, tag, properties";

    private final Jdbc jdbc;
    private final ResourceCatalog catalog;
    private final LifecycleEvents events;
    private final MessageConfig config;
    private final ObjectMapper json;
    private final String storeHost;

    DeadLetterService(Jdbc jdbc, ResourceCatalog catalog, LifecycleEvents events, MessageConfig config,
            ObjectMapper json, MessageKafka kafka) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.events = events;
        this.config = config;
        this.json = json;
        this.storeHost = config.storeHost().orElse(kafka.bootstrapServers().split(",")[0].trim());
    }

    /** OnsDLQMessageGetById: the group's latest dead letter with this id. */
    public MessageObject byId(ResourceEvent.GroupRecord group, String msgId) {
        List<MessageObject> found = jdbc.read(c -> select(c, "SELECT " + COLUMNS + " FROM dead_letter "
                + "WHERE instance_id = ? AND group_id = ? AND msg_id = ? ORDER BY dead_at DESC, entry_id DESC LIMIT 1",
                ps -> {
                    ps.setString(1, group.instanceId());
                    ps.setString(2, group.groupId());
                    ps.setString(3, msgId);
                }));
        if (found.isEmpty()) {
            throw OnsError.NO_MESSAGE.exception("No dead letter with MsgId " + msgId + " is kept for Group ID "
                    + group.groupId() + " of instance " + group.instanceId() + ".");
        }
        return found.get(0);
    }

    /** One page of a dead-letter page query. */
    public record Page(String taskId, int currentPage, int maxPageCount, List<MessageObject> messages) {
    }

    /**
     * OnsDLQMessagePageQueryByGroupId: the first call (no TaskId) fixes the group's dead letters of the time
     * range (dead-lettering time, oldest first) under a new TaskId; later calls page through it.
     */
    public Page page(String accountId, ResourceEvent.GroupRecord group, Long beginTime, Long endTime,
            Integer currentPage, Integer pageSize, String taskId) {
        int page = currentPage == null ? 1 : currentPage;
        if (page < 1 || page > QueryService.MAX_CURRENT_PAGE) {
            throw OnsError.FIELD_CHECK_INVALID.exception("CurrentPage is " + page + "; it must be 1 to "
                    + QueryService.MAX_CURRENT_PAGE + " and at most MaxPageCount.");
        }
        String taskTopic = "%DLQ%" + group.groupId();
        Task task = taskId == null || taskId.isEmpty()
                ? newTask(accountId, group, taskTopic, beginTime, endTime, pageSize)
                : loadTask(accountId, group, taskTopic, taskId);
        int maxPage = (task.ids.size() + task.pageSize - 1) / task.pageSize;
        if (page > maxPage) {
            throw OnsError.FIELD_CHECK_INVALID.exception("CurrentPage is " + page + " but the result of TaskId "
                    + task.taskId + " has " + maxPage + " page(s).");
        }
        List<Long> ids = task.ids.subList((page - 1) * task.pageSize, Math.min(task.ids.size(),
                page * task.pageSize));
        List<MessageObject> rows = jdbc.read(c -> select(c, "SELECT " + COLUMNS + " FROM dead_letter "
                + "WHERE entry_id = ANY(?) ORDER BY dead_at, entry_id", ps -> ps.setArray(1,
                        c.createArrayOf("bigint", ids.toArray()))));
        return new Page(task.taskId, page, maxPage, rows);
    }

    private Task newTask(String accountId, ResourceEvent.GroupRecord group, String taskTopic, Long beginTime,
            Long endTime, Integer pageSize) {
        if (beginTime == null) {
            throw OnsError.MISSING_PARAMETER.exception("BeginTime");
        }
        if (endTime == null) {
            throw OnsError.MISSING_PARAMETER.exception("EndTime");
        }
        if (beginTime < 0 || endTime < beginTime) {
            throw OnsError.FIELD_CHECK_INVALID.exception("BeginTime " + beginTime + " and EndTime " + endTime
                    + " do not form a time range: give epoch milliseconds with BeginTime <= EndTime.");
        }
        int size = pageSize == null ? QueryService.DEFAULT_PAGE_SIZE : pageSize;
        if (size < QueryService.MIN_PAGE_SIZE || size > QueryService.MAX_PAGE_SIZE) {
            throw OnsError.FIELD_CHECK_INVALID.exception("PageSize is " + size + "; it must be "
                    + QueryService.MIN_PAGE_SIZE + " to " + QueryService.MAX_PAGE_SIZE + ".");
        }
        int limit = Math.min(config.query().maxTaskMessages(), size * QueryService.MAX_CURRENT_PAGE);
        List<Long> ids = jdbc.read(c -> {
            List<Long> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT entry_id FROM dead_letter WHERE instance_id = ? "
                    + "AND group_id = ? AND dead_at BETWEEN ? AND ? ORDER BY dead_at, entry_id LIMIT ?")) {
                ps.setString(1, group.instanceId());
                ps.setString(2, group.groupId());
                ps.setLong(3, beginTime);
                ps.setLong(4, endTime);
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getLong(1));
                    }
                }
            }
            return found;
        });
        if (ids.isEmpty()) {
            throw OnsError.NO_MESSAGE.exception("No message of Group ID " + group.groupId() + " was dead-lettered "
                    + "between " + beginTime + " and " + endTime + ".");
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String taskId = HexFormat.of().withUpperCase().formatHex(random);
        long now = System.currentTimeMillis();
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO query_task (task_id, account_id, "
                    + "instance_id, topic, page_size, msg_ids, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?)")) {
                ps.setString(1, taskId);
                ps.setString(2, accountId);
                ps.setString(3, group.instanceId());
                ps.setString(4, taskTopic);
                ps.setInt(5, size);
                ps.setArray(6, Jdbc.textArray(c, ids.stream().map(String::valueOf).toList()));
                ps.setLong(7, now);
                ps.setLong(8, now + config.query().taskLifetime().toMillis());
                ps.executeUpdate();
            }
            return null;
        });
        return new Task(taskId, size, ids);
    }

    private Task loadTask(String accountId, ResourceEvent.GroupRecord group, String taskTopic, String taskId) {
        Task task = jdbc.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT page_size, msg_ids FROM query_task "
                    + "WHERE task_id = ? AND account_id = ? AND instance_id = ? AND topic = ? AND expires_at > ?")) {
                ps.setString(1, taskId);
                ps.setString(2, accountId);
                ps.setString(3, group.instanceId());
                ps.setString(4, taskTopic);
                ps.setLong(5, System.currentTimeMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    List<Long> ids = new ArrayList<>();
                    for (String s : (String[]) rs.getArray(2).getArray()) {
                        ids.add(Long.parseLong(s));
                    }
                    return new Task(taskId, rs.getInt(1), ids);
                }
            }
        });
        if (task == null) {
            throw OnsError.FIELD_CHECK_INVALID.exception("TaskId " + taskId + " is unknown or expired for Group ID "
                    + group.groupId() + " of instance " + group.instanceId() + "; start a new query without TaskId.");
        }
        return task;
    }

    /**
     * OnsDLQMessageResendById: delivers the group's latest dead letter with this id to the group again (any of
     * its clients, not other groups of the topic). Answers the ids that could not be resent: none is kept for
     * the group, or its topic is gone. A resend of an id whose previous resend is still pending is not repeated.
     */
    public List<String> resend(ResourceEvent.GroupRecord group, String msgId) {
        List<MessageLifecycleEvent> emitted = new ArrayList<>();
        boolean resent = jdbc.inTransaction(c -> {
            emitted.clear();
            Object[] entry = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT entry_id, account_id, topic, kafka_topic, "
                    + "kafka_partition, kafka_offset, tag, array_to_string(keys, ' '), octet_length(body), "
                    + "store_timestamp FROM dead_letter WHERE instance_id = ? AND group_id = ? AND msg_id = ? "
                    + "ORDER BY dead_at DESC, entry_id DESC LIMIT 1")) {
                ps.setString(1, group.instanceId());
                ps.setString(2, group.groupId());
                ps.setString(3, msgId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        entry = new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getInt(5), rs.getLong(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                                rs.getLong(10)};
                    }
                }
            }
            if (entry == null) {
                return false;
            }
            String topic = (String) entry[2];
            var topicRecord = catalog.topic(group.instanceId(), topic).map(ResourceCatalog.Entry::resource);
            if (topicRecord.isEmpty() || !topicRecord.get().kafkaTopic().equals(entry[3])) {
                return false;
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO direct_delivery (instance_id, group_id, "
                    + "msg_id, kind, account_id, topic, kafka_topic, target_client_id, origin_msg_id, dlq_entry_id, "
                    + "kafka_partition, kafka_offset, tag, keys, properties, body, body_crc, store_size, "
                    + "born_timestamp, born_host, store_timestamp, visible_at, consumed_times, created_at, expires_at) "
                    + "SELECT instance_id, group_id, msg_id, 'RESEND', account_id, topic, kafka_topic, NULL, msg_id, "
                    + "entry_id, kafka_partition, kafka_offset, tag, keys, properties, body, body_crc, store_size, "
                    + "born_timestamp, born_host, store_timestamp, ?, 0, ?, ? FROM dead_letter WHERE entry_id = ? "
                    + "ON CONFLICT (instance_id, group_id, msg_id) DO NOTHING")) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setLong(3, now + config.retention().toMillis());
                ps.setLong(4, (Long) entry[0]);
                if (ps.executeUpdate() == 0) {
                    return true;
                }
            }
            ArrivalBus.notify(c, (String) entry[3]);
            emitted.add(EventBuilder.of(MessageLifecycleEventType.DLQ_RESENT, msgId)
                    .idSuffix(group.groupId() + "/" + entry[0] + "/" + now)
                    .topic((String) entry[1], group.instanceId(), topic, topicRecord.get().messageType())
                    .message((String) entry[6], emptyToNull((String) entry[7]), (Integer) entry[8])
                    .stored((Long) entry[9], (Integer) entry[4], (Long) entry[5])
                    .consumer(group.groupId(), null, null, null, null)
                    .reason("resent from the dead-letter queue (OnsDLQMessageResendById)").occurredAt(now).build());
            return true;
        });
        events.emitAll(emitted);
        return resent ? List.of() : List.of(msgId);
    }

    /** The instance of an account's dead letter of a group, when the caller gave no InstanceId. */
    public List<String> instancesOf(String accountId, String groupId, String msgId) {
        return jdbc.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT instance_id FROM dead_letter "
                    + "WHERE account_id = ? AND group_id = ? AND msg_id = ?")) {
                ps.setString(1, accountId);
                ps.setString(2, groupId);
                ps.setString(3, msgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    private record Task(String taskId, int pageSize, List<Long> ids) {
    }

    private List<MessageObject> select(Connection c, String sql, Jdbc.Binder binder) throws SQLException {
        return Jdbc.list(c, sql, binder, this::toObject);
    }

    private MessageObject toObject(ResultSet rs) throws SQLException {
        String msgId = rs.getString(2);
        String instanceId = rs.getString(3);
        String topic = rs.getString(4);
        String tag = rs.getString(14);
        // RETRY_TOPIC: where the message came from, as the real service's dead letters show it.
        List<MessageObject.MessageProperty> properties = QueryService.propertyList(json, msgId, instanceId, tag,
                rs.getString(15), new MessageObject.MessageProperty("RETRY_TOPIC", instanceId + "%" + topic));
        return new MessageObject(msgId, instanceId, topic,
                QueryService.offsetId(rs.getInt(5), rs.getLong(6)), rs.getInt(7), rs.getInt(8),
                rs.getLong(9), rs.getLong(10), storeHost, rs.getString(11), rs.getInt(12), 0,
                new String(rs.getBytes(13), StandardCharsets.UTF_8), ItemList.of("MessageProperty", properties));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
