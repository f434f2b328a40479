package io.openons.gateway.auth;

import io.agroal.api.AgroalDataSource;
import io.openons.contracts.error.OnsError;
import io.openons.gateway.config.GatewayConfig;
import io.quarkus.agroal.DataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Remembers every SignatureNonce per access key for {@code ons.gateway.nonce-retention} (at least twice the
 * timestamp window), in PostgreSQL so that all gateway replicas share it: a nonce is accepted once.
 */
@ApplicationScoped
public class NonceRegistry {

    private static final Logger LOG = Logger.getLogger(NonceRegistry.class);
    /** Inserts the nonce, or revives an expired row; a live row makes the insert a no-op (0 rows). */
    private static final String CLAIM = "INSERT INTO gateway.signature_nonce (access_key_id, nonce, expires_at) "
            + "VALUES (?, ?, ?) ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at "
            + "WHERE gateway.signature_nonce.expires_at < now()";

    private final AgroalDataSource dataSource;
    private final long retentionMillis;

    NonceRegistry(@DataSource("nonces") AgroalDataSource dataSource, GatewayConfig config) {
        this.dataSource = dataSource;
        this.retentionMillis = config.nonceRetention().toMillis();
        long minimum = config.timestampTolerance().multipliedBy(2).toMillis();
        if (retentionMillis < minimum) {
            throw new IllegalStateException("ons.gateway.nonce-retention (" + config.nonceRetention()
                    + ") must be at least twice ons.gateway.timestamp-tolerance (" + config.timestampTolerance() + ")");
        }
    }

    /** Claims the nonce for the key; false when it was used within the retention period. */
    public boolean claim(String accessKeyId, String nonce) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(CLAIM)) {
            s.setString(1, accessKeyId);
            s.setString(2, nonce);
            s.setTimestamp(3, Timestamp.from(Instant.now().plusMillis(retentionMillis)));
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            LOG.warnf("Nonce store unavailable: %s", e.getMessage());
            throw OnsError.SERVICE_UNAVAILABLE.exception("the nonce store (PostgreSQL) does not answer");
        }
    }

    @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM gateway.signature_nonce WHERE ctid IN (SELECT ctid FROM gateway.signature_nonce "
                        + "WHERE expires_at < now() LIMIT 50000)")) {
            int deleted;
            do {
                deleted = s.executeUpdate();
            } while (deleted == 50_000);
        } catch (SQLException e) {
            LOG.warnf("Expired nonces not purged yet: %s", e.getMessage());
        }
    }
}
