package io.openons.message.consumer;

import io.openons.message.jdbc.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per client, topic and minute: how many deliveries it acknowledged, how many failed (not acknowledged in time)
 * and the summed time from delivery to ack, written in the transactions of ack and redelivery. OnsConsumerStatus
 * shows them as each client's running data (OkTps, FailedTps, Rt, FailedCountPerHour).
 */
@ApplicationScoped
public class ClientStats {

    static final long MINUTE = 60_000;

    private final Jdbc jdbc;

    ClientStats(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts to add for one client and topic. */
    public static final class Sample {
        long ok;
        long failed;
        long rtSum;
    }

    /** Collects samples of one unit of work, keyed so that rows are always updated in one order (no deadlock). */
    public static final class Batch {
        private final Map<String, Sample> samples = new TreeMap<>();
        private final Map<String, String[]> keys = new TreeMap<>();

        public void ok(String instanceId, String groupId, String clientId, String topic, long rtMillis) {
            Sample s = sample(instanceId, groupId, clientId, topic);
            if (s != null) {
                s.ok++;
                s.rtSum += Math.max(0, rtMillis);
            }
        }

        public void failed(String instanceId, String groupId, String clientId, String topic) {
            Sample s = sample(instanceId, groupId, clientId, topic);
            if (s != null) {
                s.failed++;
            }
        }

        private Sample sample(String instanceId, String groupId, String clientId, String topic) {
            if (clientId == null || topic == null) {
                return null;
            }
            String key = instanceId + "\u0000" + groupId + "\u0000" + clientId + "\u0000" + topic;
            keys.putIfAbsent(key, new String[] {instanceId, groupId, clientId, topic});
            return samples.computeIfAbsent(key, k -> new Sample());
        }

        public boolean isEmpty() {
            return samples.isEmpty();
        }
    }

    /** Writes a batch in the caller's transaction. */
    public static void write(Connection c, Batch batch, long now) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        long minute = now - now % MINUTE;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO client_stat (instance_id, group_id, client_id, "
                + "topic, minute, ok, failed, rt_sum) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (instance_id, group_id, "
                + "client_id, topic, minute) DO UPDATE SET ok = client_stat.ok + EXCLUDED.ok, "
                + "failed = client_stat.failed + EXCLUDED.failed, rt_sum = client_stat.rt_sum + EXCLUDED.rt_sum")) {
            for (Map.Entry<String, Sample> e : batch.samples.entrySet()) {
                String[] k = batch.keys.get(e.getKey());
                ps.setString(1, k[0]);
                ps.setString(2, k[1]);
                ps.setString(3, k[2]);
                ps.setString(4, k[3]);
                ps.setLong(5, minute);
                ps.setLong(6, e.getValue().ok);
                ps.setLong(7, e.getValue().failed);
                ps.setLong(8, e.getValue().rtSum);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** One client's running data for one topic. */
    public record Running(String topic, double okTps, double failedTps, double rtMillis, long failedCountPerHour) {
    }

    /**
     * A client's running data per topic: TPS over the last finished minute, Rt the average time to ack in it,
     * failures counted over the last 60 minutes.
     */
    public List<Running> running(String instanceId, String groupId, String clientId, Collection<String> topics) {
        long now = System.currentTimeMillis();
        long current = now - now % MINUTE;
        long lastMinute = current - MINUTE;
        long hourAgo = current - 60 * MINUTE;
        return jdbc.read(c -> {
            Map<String, long[]> byTopic = new TreeMap<>();
            for (String t : topics) {
                byTopic.put(t, new long[4]);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT topic, "
                    + "coalesce(sum(ok) FILTER (WHERE minute = ?), 0), coalesce(sum(failed) FILTER (WHERE minute = ?), 0), "
                    + "coalesce(sum(rt_sum) FILTER (WHERE minute = ?), 0), coalesce(sum(failed), 0) "
                    + "FROM client_stat WHERE instance_id = ? AND group_id = ? AND client_id = ? AND minute >= ? "
                    + "GROUP BY topic")) {
                ps.setLong(1, lastMinute);
                ps.setLong(2, lastMinute);
                ps.setLong(3, lastMinute);
                ps.setString(4, instanceId);
                ps.setString(5, groupId);
                ps.setString(6, clientId);
                ps.setLong(7, hourAgo);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byTopic.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                rs.getLong(5)});
                    }
                }
            }
            List<Running> out = new ArrayList<>();
            byTopic.forEach((topic, v) -> out.add(new Running(topic, v[0] / 60.0, v[1] / 60.0,
                    v[0] == 0 ? 0 : (double) v[2] / v[0], v[3])));
            return out;
        });
    }
}
