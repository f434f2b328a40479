package io.openons.stats.consumetps;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Messages a group consumed per topic in a range of minutes. */
@ApplicationScoped
public class ConsumeTpsRepository {

    private static final String PER_TOPIC = "SELECT topic, sum(msg_count) FROM stats.minute_count "
            + "WHERE account_id = ? AND instance_id = ? AND group_id = ? AND bucket_start >= ? AND bucket_start < ? "
            + "GROUP BY topic ORDER BY topic";
    private static final String ONE_TOPIC = "SELECT topic, sum(msg_count) FROM stats.minute_count "
            + "WHERE account_id = ? AND instance_id = ? AND group_id = ? AND topic = ? "
            + "AND bucket_start >= ? AND bucket_start < ? GROUP BY topic";

    private final AgroalDataSource dataSource;

    ConsumeTpsRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Consumed messages per topic in {@code [from, to)}, topics in name order; {@code topic} null = all. */
    public Map<String, Long> consumed(String accountId, String instanceId, String groupId, String topic, long from,
            long to) throws SQLException {
        Map<String, Long> result = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(topic == null ? PER_TOPIC : ONE_TOPIC)) {
            int i = 1;
            q.setString(i++, accountId);
            q.setString(i++, instanceId);
            q.setString(i++, groupId);
            if (topic != null) {
                q.setString(i++, topic);
            }
            q.setLong(i++, from);
            q.setLong(i, to);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return result;
    }
}
