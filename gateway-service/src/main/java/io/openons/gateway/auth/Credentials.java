package io.openons.gateway.auth;

/** A resolved access key: whose it is, its plaintext secret (kept in memory only) and whether it is enabled. */
public record Credentials(String accessKeyId, String accountId, String secret, boolean enabled) {

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + ", account " + accountId + ", enabled " + enabled + "]";
    }
}
