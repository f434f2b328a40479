package io.openons.gateway.dialect.mqhttp;

import io.openons.gateway.auth.AccessKeyStore;
import io.openons.gateway.auth.Credentials;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the data-plane dialects authenticate on the event loop: the access-key store reads the database on a
 * miss (a blocking call), so keys are resolved here from a cache no older than the store's own TTL, and loaded
 * through the store on a worker thread otherwise. A disabled key still stops working within the TTL.
 */
public final class CredentialsCache {

    private final AccessKeyStore keys;
    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public CredentialsCache(AccessKeyStore keys, Duration ttl) {
        this.keys = keys;
        this.ttlNanos = ttl.toNanos();
    }

    public Uni<Optional<Credentials>> resolve(String accessKeyId) {
        Entry e = entries.get(accessKeyId);
        if (e != null && System.nanoTime() - e.loadedAt < ttlNanos) {
            return Uni.createFrom().item(e.credentials);
        }
        return Uni.createFrom().item(() -> {
            long loadedAt = System.nanoTime();
            Optional<Credentials> loaded = keys.find(accessKeyId);
            if (entries.size() > 100_000) {
                entries.clear();
            }
            entries.put(accessKeyId, new Entry(loaded, loadedAt));
            return loaded;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private record Entry(Optional<Credentials> credentials, long loadedAt) {
    }
}
