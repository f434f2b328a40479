package io.openons.trace;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct reads and writes of trace-service's tables, for what tests cannot do through the API. */
public final class TestDb {

    private TestDb() {
    }

    public static long count(AgroalDataSource db, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String string(AgroalDataSource db, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int update(AgroalDataSource db, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code sql} counts {@code expected} rows. */
    public static void awaitCount(AgroalDataSource db, long expected, long timeoutMillis, String sql,
            Object... args) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long n = -1;
        while (System.currentTimeMillis() < deadline) {
            n = count(db, sql, args);
            if (n == expected) {
                return;
            }
            TraceApi.sleep(25);
        }
        throw new AssertionError("expected " + expected + " row(s) for [" + sql + "], found " + n);
    }
}
