package io.openons.stats.maintenance;

import io.agroal.api.AgroalDataSource;
import io.openons.contracts.event.ResourceEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes the counts of a deleted topic, Group ID or instance (the resource catalog reports the deletion), so
 * that a resource created again under the same name starts from zero instead of showing its predecessor's
 * traffic. Every replica does it; deleting twice is harmless.
 */
@ApplicationScoped
public class DeletedResourceCleanup {

    private static final Logger LOG = Logger.getLogger(DeletedResourceCleanup.class);
    private static final List<String> TABLES = List.of("stats.minute_count", "stats.ten_minute_count");

    private final AgroalDataSource dataSource;

    DeletedResourceCleanup(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void onChange(@Observes ResourceEvent event) {
        try {
            switch (event.type()) {
                case TOPIC_DELETED -> delete("account_id = ? AND instance_id = ? AND topic = ?", event.accountId(),
                        event.topic().instanceId(), event.topic().topic());
                case GROUP_DELETED -> delete("account_id = ? AND instance_id = ? AND group_id = ?",
                        event.accountId(), event.group().instanceId(), event.group().groupId());
                case INSTANCE_DELETED -> delete("account_id = ? AND instance_id = ?", event.accountId(),
                        event.instance().instanceId());
                default -> {
                    // creations and updates change no counts
                }
            }
        } catch (SQLException e) {
            LOG.warnf("Counts of a deleted %s not deleted (retention removes them later): %s", event.type(),
                    e.getMessage());
        }
    }

    private void delete(String where, String... values) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (String table : TABLES) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE " + where)) {
                    for (int i = 0; i < values.length; i++) {
                        s.setString(i + 1, values[i]);
                    }
                    s.executeUpdate();
                }
            }
        }
    }
}
