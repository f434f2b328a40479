package io.openons.message.consumer;

import io.openons.message.config.MessageConfig;
import io.openons.message.jdbc.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The consuming clients of each group, shared by every replica through PostgreSQL
 * (docs/decisions/0500-consumer-registry.md). A consume call registers its client and subscription; a client is
 * online while it polled, or still waits in a long poll, within the online window. Writes are throttled per
 * client and topic (a busy consumer polls many times a second; the registry needs one row update every few
 * seconds), so the consume path pays at most one small upsert per client and interval.
 */
@ApplicationScoped
public class ConsumerRegistry {

    private static final Logger LOG = Logger.getLogger(ConsumerRegistry.class);
    /** {@code mq-java-sdk/1.0.3.2(...)}, {@code mq-python-sdk/1.0.3}, ...: language and version. */
    private static final Pattern MQ_SDK = Pattern.compile("^mq-([A-Za-z]+)-sdk/([^\\s(;/]+)");

    private final Jdbc jdbc;
    private final long windowMillis;
    private final long writeIntervalMillis;
    /** Per (instance, group, client, topic): what this replica wrote last, to skip redundant writes. */
    private final Map<String, Written> written = new ConcurrentHashMap<>();

    ConsumerRegistry(Jdbc jdbc, MessageConfig config) {
        this.jdbc = jdbc;
        this.windowMillis = config.consumer().onlineWindow().toMillis();
        // Never coarser than a third of the window: a polling client must not look offline between two writes.
        this.writeIntervalMillis = Math.min(config.consumer().registryWriteInterval().toMillis(),
                Math.max(1, windowMillis / 3));
    }

    public long windowMillis() {
        return windowMillis;
    }

    /** One poll of a client: who it is and what it subscribes to. */
    public record Poll(String instanceId, String groupId, String clientId, String clientAddr, String userAgent,
            String topic, String kafkaTopic, String subString, long waitMillis) {
    }

    /**
     * The stable id of an MQ HTTP client: its address and connection (ip:port, stable while the SDK reuses its
     * keep-alive connection for its polling loop) and a fingerprint of its User-Agent, in RocketMQ's
     * {@code ip@...#...} style. A protocol that carries its own client id keeps it.
     */
    public static String clientId(String carried, String clientAddr, String userAgent) {
        if (carried != null && !carried.isBlank()) {
            return carried.length() > 200 ? carried.substring(0, 200) : carried;
        }
        String addr = clientAddr == null || clientAddr.isBlank() ? "unknown" : clientAddr;
        int colon = addr.lastIndexOf(':');
        String ip = colon > 0 ? addr.substring(0, colon) : addr;
        String port = colon > 0 ? addr.substring(colon + 1) : "0";
        return ip + "@" + port + "#" + fingerprint(userAgent == null ? "" : userAgent);
    }

    /** The language a User-Agent names (JAVA, PYTHON, ...), or null when it names none. */
    public static String language(String userAgent) {
        Matcher m = userAgent == null ? null : MQ_SDK.matcher(userAgent);
        return m != null && m.find() ? m.group(1).toUpperCase(Locale.ROOT) : null;
    }

    /** The SDK version a User-Agent names, or null. */
    public static String version(String userAgent) {
        Matcher m = userAgent == null ? null : MQ_SDK.matcher(userAgent);
        return m != null && m.find() ? m.group(2) : null;
    }

    /** Records a poll (throttled: written when new, changed, or the last write is older than the interval). */
    public void seen(Poll p) {
        long now = System.currentTimeMillis();
        long activeUntil = now + Math.max(0, p.waitMillis());
        String key = p.instanceId() + "/" + p.groupId() + "/" + p.clientId() + "/" + p.topic();
        Written last = written.get(key);
        if (last != null && last.subString.equals(p.subString()) && now - last.at < writeIntervalMillis
                && activeUntil - last.activeUntil < writeIntervalMillis) {
            return;
        }
        try {
            jdbc.inTransaction(c -> {
                upsert(c, p, now, activeUntil);
                return null;
            });
            if (written.size() > 100_000) {
                written.clear();
            }
            written.put(key, new Written(now, activeUntil, p.subString()));
        } catch (RuntimeException e) {
            // The registry is bookkeeping: a failed write must not fail the consume call.
            LOG.debugf("Consumer registry write failed: %s", e.getMessage());
        }
    }

    private void upsert(Connection c, Poll p, long now, long activeUntil) throws SQLException {
        String addr = p.clientAddr();
        int colon = addr == null ? -1 : addr.lastIndexOf(':');
        String ip = colon > 0 ? addr.substring(0, colon) : addr;
        String ua = p.userAgent() == null ? null
                : p.userAgent().length() > 256 ? p.userAgent().substring(0, 256) : p.userAgent();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO consumer_client (instance_id, group_id, client_id, "
                + "client_addr, remote_ip, language, version, user_agent, first_seen, last_seen, active_until) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (instance_id, group_id, client_id) DO UPDATE SET "
                + "client_addr = EXCLUDED.client_addr, remote_ip = EXCLUDED.remote_ip, language = EXCLUDED.language, "
                + "version = EXCLUDED.version, user_agent = EXCLUDED.user_agent, "
                // a client back after the window is a new session: its start time is now
                + "first_seen = CASE WHEN greatest(consumer_client.last_seen, consumer_client.active_until) < ? "
                + "THEN EXCLUDED.first_seen ELSE consumer_client.first_seen END, "
                + "last_seen = greatest(consumer_client.last_seen, EXCLUDED.last_seen), "
                + "active_until = greatest(consumer_client.active_until, EXCLUDED.active_until)")) {
            ps.setString(1, p.instanceId());
            ps.setString(2, p.groupId());
            ps.setString(3, p.clientId());
            ps.setString(4, addr);
            ps.setString(5, ip);
            ps.setString(6, language(p.userAgent()));
            ps.setString(7, version(p.userAgent()));
            ps.setString(8, ua);
            ps.setLong(9, now);
            ps.setLong(10, now);
            ps.setLong(11, activeUntil);
            ps.setLong(12, now - windowMillis);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO consumer_subscription (instance_id, group_id, "
                + "client_id, topic, kafka_topic, sub_string, sub_version, last_seen, active_until) "
                + "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (instance_id, group_id, client_id, topic) DO UPDATE SET "
                + "kafka_topic = EXCLUDED.kafka_topic, "
                + "sub_version = CASE WHEN consumer_subscription.sub_string = EXCLUDED.sub_string "
                + "THEN consumer_subscription.sub_version ELSE EXCLUDED.sub_version END, "
                + "sub_string = EXCLUDED.sub_string, "
                + "last_seen = greatest(consumer_subscription.last_seen, EXCLUDED.last_seen), "
                + "active_until = greatest(consumer_subscription.active_until, EXCLUDED.active_until)")) {
            ps.setString(1, p.instanceId());
            ps.setString(2, p.groupId());
            ps.setString(3, p.clientId());
            ps.setString(4, p.topic());
            ps.setString(5, p.kafkaTopic());
            ps.setString(6, p.subString());
            ps.setLong(7, now);
            ps.setLong(8, now);
            ps.setLong(9, activeUntil);
            ps.executeUpdate();
        }
    }

    /** One client as the registry knows it. */
    public record Client(String clientId, String clientAddr, String remoteIp, String language, String version,
            long firstSeen, long lastSeen, List<Subscription> subscriptions) {
    }

    /** One subscription of a client. */
    public record Subscription(String topic, String kafkaTopic, String subString, long subVersion) {
    }

    /** The group's online clients with their online subscriptions, oldest first. */
    public List<Client> online(String instanceId, String groupId) {
        long since = System.currentTimeMillis() - windowMillis;
        return jdbc.read(c -> {
            Map<String, Client> clients = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT client_id, client_addr, remote_ip, language, "
                    + "version, first_seen, last_seen FROM consumer_client WHERE instance_id = ? AND group_id = ? "
                    + "AND greatest(last_seen, active_until) >= ? ORDER BY first_seen, client_id")) {
                ps.setString(1, instanceId);
                ps.setString(2, groupId);
                ps.setLong(3, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        clients.put(rs.getString(1), new Client(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7), new ArrayList<>()));
                    }
                }
            }
            if (clients.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT client_id, topic, kafka_topic, sub_string, "
                    + "sub_version FROM consumer_subscription WHERE instance_id = ? AND group_id = ? "
                    + "AND greatest(last_seen, active_until) >= ? ORDER BY topic")) {
                ps.setString(1, instanceId);
                ps.setString(2, groupId);
                ps.setLong(3, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Client client = clients.get(rs.getString(1));
                        if (client != null) {
                            client.subscriptions().add(new Subscription(rs.getString(2), rs.getString(3),
                                    rs.getString(4), rs.getLong(5)));
                        }
                    }
                }
            }
            return new ArrayList<>(clients.values());
        });
    }

    /** One online subscription of a topic: the group and its expression. */
    public record TopicSubscriber(String groupId, String subString, String clientId) {
    }

    /** The online subscriptions of a topic (every group, every client). */
    public List<TopicSubscriber> onlineSubscribers(String instanceId, String topic) {
        long since = System.currentTimeMillis() - windowMillis;
        return jdbc.read(c -> {
            List<TopicSubscriber> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT group_id, sub_string, client_id "
                    + "FROM consumer_subscription WHERE instance_id = ? AND topic = ? AND greatest(last_seen, "
                    + "active_until) >= ? ORDER BY group_id, client_id")) {
                ps.setString(1, instanceId);
                ps.setString(2, topic);
                ps.setLong(3, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TopicSubscriber(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * The latest tag expression each group used for a topic (online or not, as long as the registry keeps it),
     * for OnsMessageTrace: whether a message was filtered out for the group.
     */
    public Map<String, String> lastExpressions(String instanceId, String topic) {
        return jdbc.read(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (group_id) group_id, sub_string "
                    + "FROM consumer_subscription WHERE instance_id = ? AND topic = ? "
                    + "ORDER BY group_id, last_seen DESC")) {
                ps.setString(1, instanceId);
                ps.setString(2, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    private static String fingerprint(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Written(long at, long activeUntil, String subString) {
    }
}
