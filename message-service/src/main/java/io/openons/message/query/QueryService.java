package io.openons.message.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEvent;
import io.openons.message.config.MessageConfig;
import io.openons.message.jdbc.Jdbc;
import io.openons.message.kafka.MessageHeaders;
import io.openons.message.kafka.MessageKafka;
import io.openons.service.api.ItemList;
import io.openons.service.catalog.ResourceCatalog;
import io.openons.service.db.ReadPool;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The message-query Actions, answered from the index: by id, by key, by topic and time range (paged under a
 * TaskId that fixes the result set), and the topic's status. Every lookup first authorises the topic by account
 * (another account's instance answers like a missing one).
 */
@ApplicationScoped
public class QueryService {

    private static final TypeReference<LinkedHashMap<String, String>> PROPERTIES = new TypeReference<>() {
    };
    private static final String COLUMNS = "msg_id, instance_id, topic, kafka_partition, kafka_offset, store_size, "
            + "store_timestamp, born_timestamp, born_host, body_crc, body, tag, properties";
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int MIN_PAGE_SIZE = 5;
    public static final int MAX_PAGE_SIZE = 50;
    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_CURRENT_PAGE = 50;

    private final Jdbc jdbc;
    private final ReadPool reads;
    private final ResourceCatalog catalog;
    private final ObjectMapper json;
    private final MessageConfig config;
    private final String storeHost;

    QueryService(Jdbc jdbc, ReadPool reads, ResourceCatalog catalog, ObjectMapper json, MessageConfig config,
            MessageKafka kafka) {
        this.jdbc = jdbc;
        this.reads = reads;
        this.catalog = catalog;
        this.json = json;
        this.config = config;
        this.storeHost = config.storeHost().orElse(kafka.bootstrapServers().split(",")[0].trim());
    }

    /**
     * OnsMessageGetByMsgId / OnsMessageDetail: the lookup clients repeat most, read without blocking a thread
     * (docs/decisions/0019).
     */
    public Uni<MessageObject> byId(String accountId, String regionId, String instanceId, String topic, String msgId) {
        ResourceEvent.TopicRecord t;
        try {
            t = catalog.requireTopic(accountId, regionId, instanceId, topic);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().completionStage(() -> reads.pool().preparedQuery("SELECT " + COLUMNS
                        + " FROM message WHERE msg_id = $1 AND kafka_topic = $2")
                .execute(Tuple.of(msgId, t.kafkaTopic())).toCompletionStage())
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw OnsError.NO_MESSAGE.exception("No message with MsgId " + msgId + " is stored in topic "
                                + topic + " of instance " + instanceId + ".");
                    }
                    return toObject(StoredMessage.of(rows.iterator().next()));
                });
    }

    /** OnsMessageGetByKey: the topic's messages carrying the key, newest first. */
    public List<MessageObject> byKey(String accountId, String regionId, String instanceId, String topic, String key) {
        ResourceEvent.TopicRecord t = catalog.requireTopic(accountId, regionId, instanceId, topic);
        List<MessageObject> found = jdbc.read(c -> select(c, "SELECT " + COLUMNS + " FROM message WHERE keys @> ? "
                + "AND kafka_topic = ? ORDER BY store_timestamp DESC, msg_id LIMIT " + config.query().maxKeyMatches(),
                ps -> {
                    ps.setArray(1, Jdbc.textArray(c, List.of(key)));
                    ps.setString(2, t.kafkaTopic());
                }));
        if (found.isEmpty()) {
            throw OnsError.NO_MESSAGE.exception("No message with key \"" + key + "\" is stored in topic " + topic
                    + " of instance " + instanceId + ".");
        }
        return found;
    }

    /** One page of a page query. */
    public record Page(String taskId, int currentPage, int maxPageCount, List<MessageObject> messages) {
    }

    /**
     * OnsMessagePageQueryByTopic (DECISIONS.md): the first call (no TaskId) fixes the result set, up to
     * {@code maxTaskMessages} messages in store order, under a new TaskId; later calls page through it with
     * TaskId and CurrentPage and ignore the time range and page size.
     */
    public Page page(String accountId, String regionId, String instanceId, String topic, Long beginTime,
            Long endTime, Integer currentPage, Integer pageSize, String taskId) {
        ResourceEvent.TopicRecord t = catalog.requireTopic(accountId, regionId, instanceId, topic);
        int page = currentPage == null ? 1 : currentPage;
        if (page < 1 || page > MAX_CURRENT_PAGE) {
            throw OnsError.FIELD_CHECK_INVALID.exception("CurrentPage is " + page + "; it must be 1 to "
                    + MAX_CURRENT_PAGE + " and at most MaxPageCount.");
        }
        Task task;
        if (taskId == null || taskId.isEmpty()) {
            task = newTask(accountId, t, beginTime, endTime, pageSize);
        } else {
            task = loadTask(accountId, instanceId, topic, taskId);
        }
        int maxPage = (task.msgIds.size() + task.pageSize - 1) / task.pageSize;
        if (page > maxPage) {
            throw OnsError.FIELD_CHECK_INVALID.exception("CurrentPage is " + page + " but the result of TaskId "
                    + task.taskId + " has " + maxPage + " page(s).");
        }
        List<String> ids = task.msgIds.subList((page - 1) * task.pageSize,
                Math.min(task.msgIds.size(), page * task.pageSize));
        List<MessageObject> rows = jdbc.read(c -> select(c, "SELECT " + COLUMNS + " FROM message WHERE msg_id = ANY(?)",
                ps -> ps.setArray(1, Jdbc.textArray(c, ids))));
        Map<String, MessageObject> byId = new LinkedHashMap<>();
        rows.forEach(m -> byId.put(m.msgId(), m));
        List<MessageObject> ordered = new ArrayList<>(ids.size());
        for (String id : ids) {
            MessageObject m = byId.get(id);
            if (m != null) {
                ordered.add(m);
            }
        }
        return new Page(task.taskId, page, maxPage, ordered);
    }

    private Task newTask(String accountId, ResourceEvent.TopicRecord t, Long beginTime, Long endTime,
            Integer pageSize) {
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
        int size = pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
        if (size < MIN_PAGE_SIZE || size > MAX_PAGE_SIZE) {
            throw OnsError.FIELD_CHECK_INVALID.exception("PageSize is " + size + "; it must be " + MIN_PAGE_SIZE
                    + " to " + MAX_PAGE_SIZE + ".");
        }
        int limit = Math.min(config.query().maxTaskMessages(), size * MAX_CURRENT_PAGE);
        List<String> ids = jdbc.read(c -> {
            List<String> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT msg_id FROM message WHERE kafka_topic = ? "
                    + "AND store_timestamp BETWEEN ? AND ? ORDER BY store_timestamp, kafka_partition, kafka_offset "
                    + "LIMIT ?")) {
                ps.setString(1, t.kafkaTopic());
                ps.setLong(2, beginTime);
                ps.setLong(3, endTime);
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
            return found;
        });
        if (ids.isEmpty()) {
            throw OnsError.NO_MESSAGE.exception("No message of topic " + t.topic() + " was stored between "
                    + beginTime + " and " + endTime + ".");
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String taskId = HexFormat.of().withUpperCase().formatHex(random);
        long now = System.currentTimeMillis();
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO query_task (task_id, account_id, instance_id, "
                    + "topic, page_size, msg_ids, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?)")) {
                ps.setString(1, taskId);
                ps.setString(2, accountId);
                ps.setString(3, t.instanceId());
                ps.setString(4, t.topic());
                ps.setInt(5, size);
                ps.setArray(6, Jdbc.textArray(c, ids));
                ps.setLong(7, now);
                ps.setLong(8, now + config.query().taskLifetime().toMillis());
                ps.executeUpdate();
            }
            return null;
        });
        return new Task(taskId, size, ids);
    }

    private Task loadTask(String accountId, String instanceId, String topic, String taskId) {
        Task task = jdbc.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT page_size, msg_ids FROM query_task WHERE task_id = ? "
                    + "AND account_id = ? AND instance_id = ? AND topic = ? AND expires_at > ?")) {
                ps.setString(1, taskId);
                ps.setString(2, accountId);
                ps.setString(3, instanceId);
                ps.setString(4, topic);
                ps.setLong(5, System.currentTimeMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new Task(taskId, rs.getInt(1), List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        });
        if (task == null) {
            throw OnsError.FIELD_CHECK_INVALID.exception("TaskId " + taskId + " is unknown or expired for topic "
                    + topic + " of instance " + instanceId + "; start a new query without TaskId.");
        }
        return task;
    }

    /** OnsTopicStatus: how many messages the topic holds and when the last one was stored. */
    public TopicStatus status(String accountId, String regionId, String instanceId, String topic) {
        ResourceEvent.TopicRecord t = catalog.requireTopic(accountId, regionId, instanceId, topic);
        return jdbc.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(message_count), 0), "
                    + "coalesce(max(last_store_timestamp), 0) FROM partition_stats WHERE kafka_topic = ?")) {
                ps.setString(1, t.kafkaTopic());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new TopicStatus(rs.getLong(1), rs.getLong(2), t.perm());
                }
            }
        });
    }

    /** What OnsTopicStatus answers. */
    public record TopicStatus(long totalCount, long lastTimeStamp, int perm) {
    }

    private record Task(String taskId, int pageSize, List<String> msgIds) {
    }

    private List<MessageObject> select(Connection c, String sql, Jdbc.Binder binder) throws SQLException {
        return Jdbc.list(c, sql, binder, rs -> toObject(StoredMessage.of(rs)));
    }

    private MessageObject toObject(StoredMessage m) {
        List<MessageObject.MessageProperty> properties = propertyList(json, m.msgId(), m.instanceId(), m.tag(),
                m.properties());
        return new MessageObject(m.msgId(), m.instanceId(), m.topic(), offsetId(m.partition(), m.offset()),
                m.storeSize(), 0, m.storeTimestamp(), m.bornTimestamp(), storeHost, m.bornHost(), m.bodyCrc(), 0,
                new String(m.body(), StandardCharsets.UTF_8), ItemList.of("MessageProperty", properties));
    }

    /** The {@link #COLUMNS} of one indexed message, as either driver reads them. */
    private record StoredMessage(String msgId, String instanceId, String topic, int partition, long offset,
            int storeSize, long storeTimestamp, long bornTimestamp, String bornHost, int bodyCrc, byte[] body,
            String tag, String properties) {

        static StoredMessage of(ResultSet rs) throws SQLException {
            return new StoredMessage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getLong(5),
                    rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getInt(10), rs.getBytes(11),
                    rs.getString(12), rs.getString(13));
        }

        static StoredMessage of(Row row) {
            return new StoredMessage(row.getString(0), row.getString(1), row.getString(2), row.getInteger(3),
                    row.getLong(4), row.getInteger(5), row.getLong(6), row.getLong(7), row.getString(8),
                    row.getInteger(9), row.getBuffer(10).getBytes(), row.getString(11), row.getString(12));
        }
    }

    /**
     * The PropertyList the query Actions show (messages and dead letters alike): TAGS, UNIQ_KEY, INSTANCE_ID, the
     * given extra properties, then the stored user properties.
     */
    public static List<MessageObject.MessageProperty> propertyList(ObjectMapper json, String msgId,
            String instanceId, String tag, String storedProperties, MessageObject.MessageProperty... extra) {
        List<MessageObject.MessageProperty> properties = new ArrayList<>();
        if (tag != null) {
            properties.add(new MessageObject.MessageProperty(MessageHeaders.TAGS, tag));
        }
        properties.add(new MessageObject.MessageProperty(MessageHeaders.MSG_ID, msgId));
        properties.add(new MessageObject.MessageProperty("INSTANCE_ID", instanceId));
        properties.addAll(List.of(extra));
        if (storedProperties != null) {
            try {
                json.readValue(storedProperties, PROPERTIES).forEach((k, v) ->
                        properties.add(new MessageObject.MessageProperty(k, v)));
            } catch (Exception e) {
                // unreadable properties of a foreign record: answer the rest
            }
        }
        return properties;
    }

    /** The message's position as RocketMQ's offset message id: 32 hex of partition and offset. */
    public static String offsetId(int partition, long offset) {
        return String.format("%016X%016X", partition, offset);
    }
}
