package io.openons.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Access-key lookups against the real PostgreSQL, from callers that are not event loops (blocking endpoints). */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class AccessKeyStoreTest {

    @Inject
    AccessKeyStore keys;

    /**
     * A lookup whose read completes before the caller's thread gets on (a worker thread descheduled right after
     * sending the query) once failed with "Recursive update": the read's completion ran inside the map's compute
     * function. Many threads looking up keys nobody cached make that happen.
     */
    @Test
    void lookupsFromManyThreadsAnswerEveryCaller() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<Optional<Credentials>>> answers = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                String id = i % 3 == 0 ? "LTAItestbootstrapkey" : "LTAImissing" + UUID.randomUUID();
                answers.add(callers.submit(() -> keys.find(id).toCompletableFuture().get(30, TimeUnit.SECONDS)));
            }
            int found = 0;
            for (Future<Optional<Credentials>> answer : answers) {
                if (answer.get(60, TimeUnit.SECONDS).isPresent()) {
                    found++;
                }
            }
            assertEquals(1_000, found, "the bootstrap key is found by each of its 1,000 lookups, no other key");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void concurrentLookupsOfOneUncachedKeyShareOneAnswer() throws Exception {
        String id = "LTAIshared" + UUID.randomUUID();
        List<CompletableFuture<Optional<Credentials>>> lookups = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lookups.add(keys.find(id).toCompletableFuture());
        }
        for (CompletableFuture<Optional<Credentials>> lookup : lookups) {
            assertTrue(lookup.get(30, TimeUnit.SECONDS).isEmpty());
        }
    }
}
