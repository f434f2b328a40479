package io.openons.trace;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class TraceServiceHealthTest {

    @Test
    void reportsLiveAndReadyWithEveryBackendChecked() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (given().when().get("/q/health/ready").statusCode() != 200 && System.currentTimeMillis() < deadline) {
            TraceApi.sleep(100);
        }
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("trace-ingest", "resource-catalog", "Kafka connection health check",
                        "Database connections health check"));
    }

    @Test
    void exposesIngestionAndJobMetrics() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("ons_trace_events_ingested_total"))
                .body(containsString("ons_trace_events_duplicate_total"))
                .body(containsString("ons_trace_ingest_lag_records"))
                .body(containsString("ons_trace_ingest_lag_seconds"))
                .body(containsString("ons_trace_jobs{status=\"working\"}"))
                .body(containsString("ons_trace_jobs{status=\"finish\"}"))
                .body(containsString("ons_trace_jobs{status=\"removed\"}"))
                .body(containsString("ons_trace_job_latency_seconds"));
    }

    @Test
    void documentsTheThreeActions() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("OnsTraceQueryByMsgId"))
                .body(containsString("OnsTraceQueryByMsgKey"))
                .body(containsString("OnsTraceGetResult"));
    }
}
