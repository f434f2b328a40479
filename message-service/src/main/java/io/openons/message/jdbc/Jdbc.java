package io.openons.message.jdbc;

import io.agroal.api.AgroalDataSource;
import io.openons.contracts.error.OnsError;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Units of work on message-service's database: each runs in one transaction on one pooled connection,
 * committed when the work returns and rolled back when it throws. The hot paths (index batches,
 * {@code FOR UPDATE SKIP LOCKED} takes) need plain JDBC; a transaction that hits a serialization or deadlock
 * failure is retried a few times.
 */
@ApplicationScoped
public class Jdbc {

    private static final Logger LOG = Logger.getLogger(Jdbc.class);
    private static final int ATTEMPTS = 3;

    private final AgroalDataSource dataSource;

    Jdbc(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A unit of work. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public <T> T inTransaction(Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback(c);
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                if (!retryable(e) || attempt == ATTEMPTS) {
                    break;
                }
                LOG.debugf("Retrying a transaction after %s", e.getMessage());
            }
        }
        LOG.warnf(last, "Database unit of work failed");
        throw OnsError.SERVICE_UNAVAILABLE.exception("the message database: " + last.getMessage());
    }

    /** Reads without a transaction (autocommit). */
    public <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            LOG.warnf(e, "Database read failed");
            throw OnsError.SERVICE_UNAVAILABLE.exception("the message database: " + e.getMessage());
        }
    }

    /** Binds the parameters of a prepared statement. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs a query on the connection and maps every row. */
    public static <T> List<T> list(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
        }
        return out;
    }

    public static Array textArray(Connection c, java.util.Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(new String[0]));
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientException || "40001".equals(state) || "40P01".equals(state);
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debugf("Rollback failed: %s", e.getMessage());
        }
    }
}
