package io.openons.gateway.auth;

import io.openons.contracts.error.OnsError;
import io.openons.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
            + "VALUES ($1, $2, now() + $3::bigint * interval '1 millisecond') "
            + "ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at "
            + "WHERE gateway.signature_nonce.expires_at < now()";
    private static final String PURGE = "DELETE FROM gateway.signature_nonce WHERE ctid IN (SELECT ctid FROM "
            + "gateway.signature_nonce WHERE expires_at < now() LIMIT 50000)";

    private final RequestPathDatabase database;
    private final long retentionMillis;

    NonceRegistry(RequestPathDatabase database, GatewayConfig config) {
        this.database = database;
        this.retentionMillis = config.nonceRetention().toMillis();
        long minimum = config.timestampTolerance().multipliedBy(2).toMillis();
        if (retentionMillis < minimum) {
            throw new IllegalStateException("ons.gateway.nonce-retention (" + config.nonceRetention()
                    + ") must be at least twice ons.gateway.timestamp-tolerance (" + config.timestampTolerance() + ")");
        }
    }

    /** Claims the nonce for the key; completes with false when it was used within the retention period. */
    public CompletionStage<Boolean> claim(String accessKeyId, String nonce) {
        // The expiry is computed by the database: no timestamp to format on every request.
        return database.pool().preparedQuery(CLAIM).execute(Tuple.of(accessKeyId, nonce, retentionMillis))
                .map(rows -> rows.rowCount() == 1)
                .otherwise(failure -> {
                    LOG.warnf("Nonce store unavailable: %s", failure.getMessage());
                    throw OnsError.SERVICE_UNAVAILABLE.exception("the nonce store (PostgreSQL) does not answer");
                })
                .toCompletionStage();
    }

    @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        try {
            int deleted;
            do {
                deleted = database.pool().query(PURGE).execute().map(rows -> rows.rowCount())
                        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } while (deleted == 50_000);
        } catch (Exception e) {
            LOG.warnf("Expired nonces not purged yet: %s", e.getMessage());
        }
    }
}
