package io.openons.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Group-committed nonce claims against the real PostgreSQL: each nonce is accepted exactly once per key. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class NonceRegistryTest {

    @Inject
    NonceRegistry nonces;

    @Test
    void manyConcurrentClaimsAreEachAcceptedOnceAndRepeatsRefused() throws Exception {
        String key = "LTAInoncebatch" + UUID.randomUUID().toString().substring(0, 8);
        List<CompletableFuture<Boolean>> first = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) { // far more than one statement takes: several batches
            String nonce = UUID.randomUUID().toString();
            used.add(nonce);
            first.add(nonces.claim(key, nonce).toCompletableFuture());
        }
        for (CompletableFuture<Boolean> claimed : first) {
            assertTrue(claimed.get(30, TimeUnit.SECONDS), "a fresh nonce is accepted");
        }
        List<CompletableFuture<Boolean>> again = new ArrayList<>();
        for (String nonce : used) {
            again.add(nonces.claim(key, nonce).toCompletableFuture());
        }
        for (CompletableFuture<Boolean> claimed : again) {
            assertFalse(claimed.get(30, TimeUnit.SECONDS), "a used nonce is refused");
        }
        // The same nonce for another key is another claim.
        assertTrue(nonces.claim(key + "x", used.get(0)).toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    @Test
    void theSameNonceSentManyTimesAtOnceIsAcceptedExactlyOnce() throws Exception {
        String key = "LTAInoncerace" + UUID.randomUUID().toString().substring(0, 8);
        String nonce = UUID.randomUUID().toString();
        List<CompletableFuture<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            claims.add(nonces.claim(key, nonce).toCompletableFuture());
            claims.add(nonces.claim(key, UUID.randomUUID().toString()).toCompletableFuture()); // batch company
        }
        int accepted = 0;
        for (int i = 0; i < claims.size(); i += 2) {
            if (claims.get(i).get(30, TimeUnit.SECONDS)) {
                accepted++;
            }
            assertTrue(claims.get(i + 1).get(30, TimeUnit.SECONDS));
        }
        assertEquals(1, accepted, "one of 50 simultaneous uses of a nonce is accepted");
    }
}
