package io.openons.message.support;

import static io.restassured.RestAssured.given;

import io.openons.contracts.messaging.MessagingApi;
import io.openons.contracts.operation.InternalApi;
import io.openons.contracts.operation.InternalHeaders;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;

/** Calls message-service's internal APIs as the gateway does (account and request id headers). */
public final class Api {

    private Api() {
    }

    public static Response messaging(String accountId, String path, Object body) {
        return given().contentType(ContentType.JSON).header(InternalHeaders.ACCOUNT_ID, accountId)
                .header(InternalHeaders.REQUEST_ID, "test").body(body)
                .when().post(MessagingApi.PATH + path);
    }

    public static Response operation(String accountId, String action, Map<String, ?> params) {
        return given().contentType(ContentType.JSON).header(InternalHeaders.ACCOUNT_ID, accountId)
                .header(InternalHeaders.REGION_ID, "cn-hangzhou").header(InternalHeaders.REQUEST_ID, "test")
                .body(params).when().post(InternalApi.OPERATIONS_PATH + "/" + action);
    }

    public static Response groupSettings(String accountId, String instanceId, String groupId, Map<String, ?> body) {
        return given().contentType(ContentType.JSON).header(InternalHeaders.ACCOUNT_ID, accountId)
                .body(body).when().put(MessagingApi.PATH + "/groups/" + instanceId + "/" + groupId + "/settings");
    }
}
