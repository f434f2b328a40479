package io.openons.gateway.auth;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.error.OnsException;
import io.openons.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Remembers every SignatureNonce per access key for {@code ons.gateway.nonce-retention} (at least twice the
 * timestamp window), in PostgreSQL so that all gateway replicas share it: a nonce is accepted once.
 *
 * <p>Claims are group-committed: while {@link #MAX_BATCHES_IN_FLIGHT} statements are running, new claims wait
 * and go together in the next one (one multi-row {@code INSERT … RETURNING}), so under load the database sees a
 * few statements per millisecond instead of one per request, and an idle gateway still claims a lone nonce at
 * once. The claimed rows come back from the statement; a nonce missing from the answer was live already.
 */
@ApplicationScoped
public class NonceRegistry {

    private static final Logger LOG = Logger.getLogger(NonceRegistry.class);
    /**
     * Inserts the nonces, or revives expired rows; a live row makes its insert a no-op, so only the claimed
     * nonces are returned.
     */
    private static final String CLAIM = "INSERT INTO gateway.signature_nonce (access_key_id, nonce, expires_at) "
            + "SELECT k, n, now() + $3::bigint * interval '1 millisecond' FROM unnest($1::varchar[], $2::varchar[]) "
            + "AS c(k, n) "
            + "ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at "
            + "WHERE gateway.signature_nonce.expires_at < now() RETURNING access_key_id, nonce";
    private static final String PURGE = "DELETE FROM gateway.signature_nonce WHERE ctid IN (SELECT ctid FROM "
            + "gateway.signature_nonce WHERE expires_at < now() LIMIT 50000)";
    static final int MAX_BATCHES_IN_FLIGHT = 2;
    static final int MAX_BATCH = 256;

    private final RequestPathDatabase database;
    private final long retentionMillis;
    private final Queue<Claim> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

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
        Claim claim = new Claim(accessKeyId, nonce, new CompletableFuture<>());
        waiting.add(claim);
        flush();
        return claim.answer;
    }

    /** Starts a statement for the waiting claims unless enough are running (the last one to finish starts it). */
    private void flush() {
        while (!waiting.isEmpty()) {
            int running = inFlight.get();
            if (running >= MAX_BATCHES_IN_FLIGHT) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            Map<String, Claim> batch = new LinkedHashMap<>();
            Claim next;
            while (batch.size() < MAX_BATCH && (next = waiting.poll()) != null) {
                if (batch.putIfAbsent(next.key(), next) != null) {
                    next.answer.complete(false); // the same nonce twice at once: the second is a replay
                }
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            insert(batch);
        }
    }

    private void insert(Map<String, Claim> batch) {
        String[] keys = new String[batch.size()];
        String[] nonces = new String[batch.size()];
        int i = 0;
        for (Claim claim : batch.values()) {
            keys[i] = claim.accessKeyId;
            nonces[i++] = claim.nonce;
        }
        database.pool().preparedQuery(CLAIM).execute(Tuple.of(keys, nonces, retentionMillis))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        for (Row row : result.result()) {
                            Claim claimed = batch.remove(Claim.key(row.getString(0), row.getString(1)));
                            if (claimed != null) {
                                claimed.answer.complete(true);
                            }
                        }
                        batch.values().forEach(used -> used.answer.complete(false));
                    } else {
                        LOG.warnf("Nonce store unavailable: %s", result.cause().getMessage());
                        OnsException unavailable = OnsError.SERVICE_UNAVAILABLE.exception(
                                "the nonce store (PostgreSQL) does not answer");
                        batch.values().forEach(claim -> claim.answer.completeExceptionally(unavailable));
                    }
                    inFlight.decrementAndGet();
                    flush();
                });
    }

    private record Claim(String accessKeyId, String nonce, CompletableFuture<Boolean> answer) {

        /** Identifies a claim within a batch, and a returned row with its claim. */
        static String key(String accessKeyId, String nonce) {
            return accessKeyId + '\n' + nonce;
        }

        String key() {
            return key(accessKeyId, nonce);
        }
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
