package io.openons.trace.job;

import static io.openons.contracts.event.MessageLifecycleEventType.PUBLISHED;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.openons.testsupport.InfraResource;
import io.openons.trace.Catalog;
import io.openons.trace.Lifecycle;
import io.openons.trace.TestDb;
import io.openons.trace.TestKafka;
import io.openons.trace.TraceApi;
import io.openons.trace.config.TraceConfig;
import io.openons.trace.retention.RetentionPurger;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The life of a query job across replicas and restarts: claims, expired claims, the result stored once, the result
 * lifetime, isolation between accounts, and jobs that cannot be run.
 */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class TraceJobLifecycleTest {

    @Inject
    AgroalDataSource db;

    @Inject
    TraceJobRepository jobs;

    @Inject
    RetentionPurger purger;

    @Inject
    TraceConfig config;

    private String account;
    private String instance;
    private Lifecycle message;
    private long t;

    @BeforeEach
    void aPublishedMessage() {
        account = TraceApi.newAccount();
        instance = Catalog.instance(account);
        Catalog.topic(account, instance, "jobs");
        t = System.currentTimeMillis() - 5_000;
        message = Lifecycle.message(account, instance, "jobs").keys("JOB_KEY");
        TestKafka.lifecycle(message.publish(PUBLISHED, t));
        TestDb.awaitCount(db, 1, 20_000, "SELECT count(*) FROM trace.trace_event WHERE msg_id = ?", message.msgId());
    }

    /** A job row as another replica would have left it, claimed until now + {@code leaseMillis}. */
    private String insertJob(String owner, long leaseMillis, int attempts) {
        String queryId = TraceJobService.newQueryId();
        TestDb.update(db, """
                INSERT INTO trace.trace_job (query_id, account_id, region_id, instance_id, topic, msg_id, begin_time,
                    end_time, status, created_at, updated_at, lease_owner, lease_until, attempts)
                VALUES (?, ?, ?, ?, 'jobs', ?, ?, ?, 'working', clock_timestamp(), clock_timestamp(), ?,
                    clock_timestamp() + ? * interval '1 millisecond', ?)""",
                queryId, account, Catalog.REGION, instance, message.msgId(), t - 60_000, t + 60_000, owner,
                leaseMillis, attempts);
        return queryId;
    }

    private long attempts(String queryId) {
        return TestDb.count(db, "SELECT attempts FROM trace.trace_job WHERE query_id = ?", queryId);
    }

    @Test
    void aJobClaimedByADeadReplicaIsRunByAnotherOnceItsClaimExpires() {
        String queryId = insertJob("replica-that-died", -1_000, 1);
        JsonPath result = TraceApi.awaitFinished(account, queryId, 15_000);
        assertEquals(List.of(message.msgId()), result.getList("TraceData.TraceList.TraceMapDo.MsgId"));
        assertEquals(2, attempts(queryId), "run again once, under a new claim");
    }

    @Test
    void aJobHeldByALiveReplicaStaysWorkingUntilItsClaimExpires() {
        String queryId = insertJob("replica-still-busy", 2_500, 1);
        long created = System.currentTimeMillis();
        JsonPath working = TraceApi.result(account, queryId);
        assertEquals("working", working.getString("TraceData.Status"));
        assertNull(working.get("TraceData.TraceList"), "no result while working");
        assertEquals(working.getLong("TraceData.CreateTime"), working.getLong("TraceData.UpdateTime"));
        assertEquals(message.msgId(), working.getString("TraceData.MsgId"));

        JsonPath finished = TraceApi.awaitFinished(account, queryId, 15_000);
        assertTrue(System.currentTimeMillis() - created >= 2_000, "not taken before the claim expired");
        assertEquals(1, finished.getList("TraceData.TraceList.TraceMapDo").size());
        assertTrue(finished.getLong("TraceData.UpdateTime") > finished.getLong("TraceData.CreateTime"));
    }

    @Test
    void aReplicaStoppingHandsItsJobsBackAtOnce() throws Exception {
        String queryId = insertJob("replica-stopping", 600_000, 1);
        assertEquals(1, jobs.releaseAllOwnedBy("replica-stopping"));
        JsonPath result = TraceApi.awaitFinished(account, queryId, 10_000);
        assertEquals(1, result.getList("TraceData.TraceList.TraceMapDo").size());
    }

    @Test
    void concurrentClaimsTakeAJobOnce() throws Exception {
        String queryId = insertJob("replica-that-died", -1_000, 1);
        int claimers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<TraceJobRepository.Claim>>> claims = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            String owner = "claimer-" + i;
            claims.add(pool.submit(() -> {
                start.await();
                return jobs.claimUnheld(owner, java.time.Duration.ofMinutes(1), 5, 10);
            }));
        }
        start.countDown();
        long mine = 0;
        for (Future<List<TraceJobRepository.Claim>> f : claims) {
            mine += f.get(10, TimeUnit.SECONDS).stream().filter(c -> c.queryId().equals(queryId)).count();
        }
        pool.shutdown();
        assertTrue(mine <= 1, "claimed " + mine + " times");
        // exactly one claim in all, by a test thread or by the service's own poller
        assertEquals(2, attempts(queryId));
    }

    @Test
    void theResultIsStoredOnceAndAStaleRunCannotReplaceIt() throws Exception {
        String queryId = TraceApi.queryByMsgId(account, instance, "jobs", message.msgId(), t - 60_000, t + 60_000);
        JsonPath first = TraceApi.awaitFinished(account, queryId, 10_000);
        String stored = TestDb.string(db, "SELECT result FROM trace.trace_job WHERE query_id = ?", queryId);

        // a replica whose claim expired while it ran, and a later claim, both try to store another answer
        assertEquals(Optional.empty(), jobs.finish(new TraceJobRepository.Claim(queryId, 1), "{\"TraceMapDo\":[]}", 0));
        assertEquals(Optional.empty(), jobs.finish(new TraceJobRepository.Claim(queryId, 2), "{\"TraceMapDo\":[]}", 0));

        assertEquals(stored, TestDb.string(db, "SELECT result FROM trace.trace_job WHERE query_id = ?", queryId));
        JsonPath again = TraceApi.result(account, queryId);
        assertEquals(first.getList("TraceData.TraceList.TraceMapDo"), again.getList("TraceData.TraceList.TraceMapDo"));
        assertEquals(first.getLong("TraceData.UpdateTime"), again.getLong("TraceData.UpdateTime"));
    }

    @Test
    void aFinishedJobReadsAsRemovedAfterItsResultLifetime() throws Exception {
        String queryId = TraceApi.queryByMsgId(account, instance, "jobs", message.msgId(), t - 60_000, t + 60_000);
        TraceApi.awaitFinished(account, queryId, 10_000);
        long lifetime = config.job().resultLifetime().toMillis();
        TestDb.update(db, "UPDATE trace.trace_job SET finished_at = finished_at - ? * interval '1 millisecond' "
                + "WHERE query_id = ?", lifetime + 1_000, queryId);
        long finishedAt = TestDb.count(db, "SELECT floor(extract(epoch FROM finished_at) * 1000)::bigint "
                + "FROM trace.trace_job WHERE query_id = ?", queryId);

        JsonPath removed = TraceApi.result(account, queryId);
        assertEquals("removed", removed.getString("TraceData.Status"));
        assertNull(removed.get("TraceData.TraceList"));
        assertEquals(finishedAt + lifetime, removed.getLong("TraceData.UpdateTime"));
        assertEquals(queryId, removed.getString("TraceData.QueryId"));

        purger.purge(System.currentTimeMillis());
        assertEquals("removed", TestDb.string(db, "SELECT status FROM trace.trace_job WHERE query_id = ?", queryId));
        assertNull(TestDb.string(db, "SELECT result FROM trace.trace_job WHERE query_id = ?", queryId));
        JsonPath afterPurge = TraceApi.result(account, queryId);
        assertEquals("removed", afterPurge.getString("TraceData.Status"));
        assertEquals(finishedAt + lifetime, afterPurge.getLong("TraceData.UpdateTime"));
    }

    @Test
    void anotherAccountsJobAnswersExactlyLikeAMissingOne() {
        String queryId = TraceApi.queryByMsgId(account, instance, "jobs", message.msgId(), t - 60_000, t + 60_000);
        TraceApi.awaitFinished(account, queryId, 10_000);
        String stranger = TraceApi.newAccount();
        String missing = TraceJobService.newQueryId();

        String foreign = TraceApi.call(stranger, "OnsTraceGetResult", Map.of("QueryId", queryId)).statusCode(404)
                .body("Code", equalTo("BIZ_TRACE_QUERY_NOT_FOUND")).extract().path("Message");
        String unknown = TraceApi.call(stranger, "OnsTraceGetResult", Map.of("QueryId", missing)).statusCode(404)
                .body("Code", equalTo("BIZ_TRACE_QUERY_NOT_FOUND")).extract().path("Message");
        assertEquals(unknown.replace(missing, "<id>"), foreign.replace(queryId, "<id>"));
        // the owner in another region does not see it either
        TraceApi.call(account, "cn-shanghai", "OnsTraceGetResult", Map.of("QueryId", queryId)).statusCode(404)
                .body("Code", equalTo("BIZ_TRACE_QUERY_NOT_FOUND"));
        TraceApi.call(account, "OnsTraceGetResult", Map.of("QueryId", queryId)).statusCode(200)
                .body("TraceData.Status", equalTo("finish"));
    }

    @Test
    void aJobThatFailedTooOftenIsGivenUpAsRemoved() {
        String queryId = insertJob("replica-that-died", -1_000, config.job().maxAttempts());
        long deadline = System.currentTimeMillis() + 10_000;
        String status = null;
        while (System.currentTimeMillis() < deadline) {
            status = TraceApi.result(account, queryId).getString("TraceData.Status");
            if (!"working".equals(status)) {
                break;
            }
            TraceApi.sleep(50);
        }
        assertEquals("removed", status);
        assertEquals(config.job().maxAttempts(), attempts(queryId), "not run again");
    }
}
