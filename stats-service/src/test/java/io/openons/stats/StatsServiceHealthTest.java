package io.openons.stats;

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
class StatsServiceHealthTest {

    @Test
    void readinessCoversPostgresqlKafkaAndTheResourceCatalog() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("lifecycle-aggregation"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka", "resource-catalog", "Database connections health check"));
    }

    @Test
    void exposesTheAggregationMetrics() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("ons_stats_events_total{outcome=\"counted\""))
                .body(containsString("ons_stats_ingest_lag_records"));
    }

    @Test
    void documentsEveryEndpointInOpenApi() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/internal/v1/operations/OnsTrendTopicInputTps'.post.operationId",
                        equalTo("OnsTrendTopicInputTps"))
                .body("paths.'/internal/v1/operations/OnsTrendGroupOutputTps'.post.operationId",
                        equalTo("OnsTrendGroupOutputTps"))
                .body("paths.'/internal/v1/stats/consume-tps'.get.operationId", equalTo("consumeTps"));
    }
}
