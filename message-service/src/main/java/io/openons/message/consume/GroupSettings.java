package io.openons.message.consume;

import io.openons.message.config.MessageConfig;
import io.openons.message.jdbc.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-group consume settings: the invisibility of unordered and ordered deliveries (the HTTP protocol's retry
 * intervals) and the maximum reconsume count before a message is dead-lettered, stored per group and falling back to the configured defaults. Read through a short cache, so a
 * change reaches every replica within {@link #CACHE_MILLIS}.
 */
@ApplicationScoped
public class GroupSettings {

    static final long CACHE_MILLIS = 2_000;

    private final Jdbc jdbc;
    private final MessageConfig config;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    GroupSettings(Jdbc jdbc, MessageConfig config) {
        this.jdbc = jdbc;
        this.config = config;
    }

    /**
     * The effective settings of a group.
     *
     * @param invisibleTimeMillis      invisibility of an unordered delivery
     * @param orderInvisibleTimeMillis invisibility of an ordered delivery
     * @param maxReconsumeTimes        redeliveries after the first delivery before the message is dead-lettered
     * @param overridden               whether the group has its own values (else the defaults apply)
     */
    public record Settings(long invisibleTimeMillis, long orderInvisibleTimeMillis, int maxReconsumeTimes,
            boolean overridden) {
    }

    public Settings of(String instanceId, String groupId) {
        String key = instanceId + "/" + groupId;
        long now = System.currentTimeMillis();
        Cached cached = cache.get(key);
        if (cached != null && now - cached.loadedAt < CACHE_MILLIS) {
            return cached.settings;
        }
        Settings loaded = jdbc.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT invisible_time_ms, order_invisible_time_ms, "
                    + "max_reconsume_times FROM group_setting WHERE instance_id = ? AND group_id = ?")) {
                ps.setString(1, instanceId);
                ps.setString(2, groupId);
                try (ResultSet rs = ps.executeQuery()) {
                    long normal = config.invisibleTime().toMillis();
                    long ordered = config.orderInvisibleTime().toMillis();
                    int max = config.consumer().maxReconsumeTimes();
                    if (!rs.next()) {
                        return new Settings(normal, ordered, max, false);
                    }
                    long n = rs.getLong(1);
                    if (!rs.wasNull()) {
                        normal = n;
                    }
                    long o = rs.getLong(2);
                    if (!rs.wasNull()) {
                        ordered = o;
                    }
                    int m = rs.getInt(3);
                    if (!rs.wasNull()) {
                        max = m;
                    }
                    return new Settings(normal, ordered, max, true);
                }
            }
        });
        cache.put(key, new Cached(loaded, now));
        return loaded;
    }

    /** Sets a group's own values; null leaves that value at the default. */
    public Settings set(String instanceId, String groupId, Long invisibleTimeMillis, Long orderInvisibleTimeMillis,
            Integer maxReconsumeTimes) {
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO group_setting (instance_id, group_id, "
                    + "invisible_time_ms, order_invisible_time_ms, max_reconsume_times, updated_at) VALUES (?,?,?,?,?,?) "
                    + "ON CONFLICT (instance_id, group_id) DO UPDATE SET invisible_time_ms = EXCLUDED.invisible_time_ms, "
                    + "order_invisible_time_ms = EXCLUDED.order_invisible_time_ms, "
                    + "max_reconsume_times = EXCLUDED.max_reconsume_times, updated_at = EXCLUDED.updated_at")) {
                ps.setString(1, instanceId);
                ps.setString(2, groupId);
                ps.setObject(3, invisibleTimeMillis);
                ps.setObject(4, orderInvisibleTimeMillis);
                ps.setObject(5, maxReconsumeTimes);
                ps.setLong(6, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
        cache.remove(instanceId + "/" + groupId);
        return of(instanceId, groupId);
    }

    /** Forgets a deleted group's settings. */
    public void forget(String instanceId, String groupId) {
        cache.remove(instanceId + "/" + groupId);
    }

    private record Cached(Settings settings, long loadedAt) {
    }
}
