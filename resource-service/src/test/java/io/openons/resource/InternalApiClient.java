package io.openons.resource;

import static io.restassured.RestAssured.given;

import io.openons.contracts.operation.InternalHeaders;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Calls resource-service's internal operation API the way the gateway does. */
final class InternalApiClient {

    private static final AtomicLong ACCOUNTS = new AtomicLong(System.currentTimeMillis() % 1_000_000L * 1000);

    private InternalApiClient() {
    }

    /** A fresh 16-digit account id, so that tests do not see each other's resources. */
    static String newAccount() {
        return Long.toString(1_000_000_000_000_000L + ACCOUNTS.incrementAndGet());
    }

    static ValidatableResponse call(String account, String action, Map<String, ?> params) {
        return call(account, "cn-hangzhou", action, params);
    }

    static ValidatableResponse call(String account, String region, String action, Map<String, ?> params) {
        return given()
                .header(InternalHeaders.ACCOUNT_ID, account)
                .header(InternalHeaders.REGION_ID, region)
                .header(InternalHeaders.REQUEST_ID, "test-" + action)
                .contentType(ContentType.JSON)
                .body(params)
                .when().post("/internal/v1/operations/" + action)
                .then();
    }

    static String createInstance(String account, String name) {
        return call(account, "OnsInstanceCreate", Map.of("InstanceName", name))
                .statusCode(200).extract().path("Data.InstanceId");
    }
}
