package io.openons.gateway.auth;

import io.openons.gateway.config.GatewayConfig;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access-key store: accounts and their keys, with secrets encrypted at rest. Lookups (non-blocking,
 * on the request path) are cached for
 * {@code ons.gateway.access-key-cache-ttl}, so a key disabled on one gateway replica stops working on every
 * replica within that time.
 */
@ApplicationScoped
public class AccessKeyStore {

    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String LOOKUP = "SELECT account_id, secret_ciphertext, enabled FROM gateway.access_key "
            + "WHERE access_key_id = $1";

    private final SecretCipher cipher;
    private final RequestPathDatabase database;
    private final long cacheTtlNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Optional<Credentials>>> loading =
            new ConcurrentHashMap<>();

    AccessKeyStore(SecretCipher cipher, RequestPathDatabase database, GatewayConfig config) {
        this.cipher = cipher;
        this.database = database;
        this.cacheTtlNanos = config.accessKeyCacheTtl().toNanos();
    }

    /**
     * The key with this id, or empty when there is none; non-blocking. Concurrent lookups of a key that is not
     * cached share one database read.
     */
    public CompletionStage<Optional<Credentials>> find(String accessKeyId) {
        Cached cached = cache.get(accessKeyId);
        if (cached != null && System.nanoTime() - cached.loadedAt < cacheTtlNanos) {
            return CompletableFuture.completedFuture(cached.credentials);
        }
        CompletableFuture<Optional<Credentials>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Credentials>> running = loading.putIfAbsent(accessKeyId, mine);
        if (running != null) {
            return running;
        }
        try {
            load(accessKeyId, mine);
        } catch (RuntimeException failure) {
            loading.remove(accessKeyId, mine);
            mine.completeExceptionally(failure);
        }
        return mine;
    }

    /**
     * Reads the key and completes {@code answer}, caching it first. The read may complete before this method
     * returns (a worker thread's caller, a fast database): nothing here runs inside a map's compute function.
     */
    private void load(String accessKeyId, CompletableFuture<Optional<Credentials>> answer) {
        long started = System.nanoTime();
        database.pool().preparedQuery(LOOKUP)
                .execute(Tuple.of(accessKeyId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<Credentials>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Credentials(accessKeyId, row.getString("account_id"),
                            cipher.decrypt(row.getString("secret_ciphertext")), row.getBoolean("enabled")));
                })
                .onComplete(result -> {
                    if (result.succeeded()) {
                        if (cache.size() > 100_000) {
                            cache.clear();
                        }
                        cache.put(accessKeyId, new Cached(result.result(), started));
                    }
                    loading.remove(accessKeyId, answer);
                    if (result.succeeded()) {
                        answer.complete(result.result());
                    } else {
                        answer.completeExceptionally(result.cause());
                    }
                });
    }

    /** Creates an account; a random 16-digit id when none is given. */
    @Transactional
    public Account createAccount(String accountId, String displayName) {
        Account account = new Account();
        account.accountId = accountId == null || accountId.isBlank() ? newAccountId() : accountId;
        account.displayName = displayName;
        account.createdAt = Instant.now();
        account.persist();
        return account;
    }

    /** Creates a key for the account; random id and secret unless given (bootstrap from configuration). */
    @Transactional
    public NewKey createKey(String accountId, String accessKeyId, String secret, String description) {
        AccessKey key = new AccessKey();
        key.accessKeyId = accessKeyId == null || accessKeyId.isBlank() ? "LTAI" + random(20) : accessKeyId;
        String plain = secret == null || secret.isBlank() ? random(30) : secret;
        key.accountId = accountId;
        key.secretCiphertext = cipher.encrypt(plain);
        key.enabled = true;
        key.description = description;
        key.createdAt = Instant.now();
        key.updatedAt = key.createdAt;
        key.persist();
        cache.remove(key.accessKeyId);
        return new NewKey(accountId, key.accessKeyId, plain);
    }

    /** Enables or disables a key; answers false when there is no such key. */
    @Transactional
    public boolean setEnabled(String accessKeyId, boolean enabled) {
        AccessKey key = AccessKey.findById(accessKeyId);
        if (key == null) {
            return false;
        }
        key.enabled = enabled;
        key.updatedAt = Instant.now();
        cache.remove(accessKeyId);
        return true;
    }

    public List<AccessKey> keysOf(String accountId) {
        return AccessKey.list("accountId = ?1 order by createdAt", accountId);
    }

    public Optional<Account> account(String accountId) {
        return Account.findByIdOptional(accountId);
    }

    public long accountCount() {
        return Account.count();
    }

    private static String newAccountId() {
        StringBuilder id = new StringBuilder("1");
        for (int i = 0; i < 15; i++) {
            id.append(RANDOM.nextInt(10));
        }
        return id.toString();
    }

    private static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALNUM[RANDOM.nextInt(ALNUM.length)]);
        }
        return s.toString();
    }

    /** A key just created; the only moment its secret is shown. */
    public record NewKey(String accountId, String accessKeyId, String accessKeySecret) {
    }

    private record Cached(Optional<Credentials> credentials, long loadedAt) {
    }
}
