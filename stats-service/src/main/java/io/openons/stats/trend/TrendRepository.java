package io.openons.stats.trend;

import io.agroal.api.AgroalDataSource;
import io.openons.stats.aggregate.TimeBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Reads message counts per period from the 1-minute and the rolled-up 10-minute counts. */
@ApplicationScoped
public class TrendRepository {

    private static final String MINUTES = "SELECT bucket_start - mod(bucket_start, ?) AS x, sum(msg_count) "
            + "FROM stats.minute_count WHERE account_id = ? AND instance_id = ? AND group_id = ? AND topic = ? "
            + "AND bucket_start >= ? AND bucket_start < ? GROUP BY 1";
    // One statement (one snapshot): a rollup moving counts between the tables meanwhile is seen before or
    // after, never half-way.
    private static final String MINUTES_AND_ROLLUPS = MINUTES + " UNION ALL "
            + "SELECT bucket_start - mod(bucket_start, ?), msg_count FROM stats.ten_minute_count "
            + "WHERE account_id = ? AND instance_id = ? AND group_id = ? AND topic = ? "
            + "AND bucket_start >= ? AND bucket_start < ?";

    private final AgroalDataSource dataSource;

    TrendRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Messages per period start in {@code [from, to)} of one counter ({@code groupId} empty for a topic's
     * produced messages). Rolled-up counts are read only for 10-minute periods, the only ones they can answer.
     */
    public Map<Long, Long> counts(String accountId, String instanceId, String groupId, String topic, long periodMs,
            long from, long to) throws SQLException {
        boolean rollups = periodMs % TimeBuckets.ROLLUP_MS == 0;
        Map<Long, Long> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(rollups ? MINUTES_AND_ROLLUPS : MINUTES)) {
            int i = bind(q, 1, periodMs, accountId, instanceId, groupId, topic, from, to);
            if (rollups) {
                bind(q, i, periodMs, accountId, instanceId, groupId, topic, TimeBuckets.floor(from,
                        TimeBuckets.ROLLUP_MS), to);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    counts.merge(rs.getLong(1), rs.getLong(2), Long::sum);
                }
            }
        }
        return counts;
    }

    private static int bind(PreparedStatement q, int i, long periodMs, String accountId, String instanceId,
            String groupId, String topic, long from, long to) throws SQLException {
        q.setLong(i++, periodMs);
        q.setString(i++, accountId);
        q.setString(i++, instanceId);
        q.setString(i++, groupId);
        q.setString(i++, topic);
        q.setLong(i++, from);
        q.setLong(i++, to);
        return i;
    }
}
