package io.openons.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;

import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class AdminApiTest {

    private static final String TOKEN = "Bearer test-admin-token";

    @Test
    void refusesCallsWithoutTheAdminToken() {
        given().contentType(ContentType.JSON).body("{}").post("/admin/v1/accounts").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body("{}")
                .post("/admin/v1/accounts").then().statusCode(401);
    }

    @Test
    void createsAccountsWhoseKeysSignRequestsAndDisablesKeys() throws Exception {
        JsonPath created = given().header("Authorization", TOKEN).contentType(ContentType.JSON)
                .body("{\"displayName\":\"team-a\"}").post("/admin/v1/accounts").then().statusCode(201)
                .body("accountId", matchesPattern("[1-9][0-9]{15}"))
                .body("accessKeyId", matchesPattern("LTAI[A-Za-z0-9]{20}"))
                .body("accessKeySecret", matchesPattern("[A-Za-z0-9]{30}"))
                .extract().jsonPath();
        String keyId = created.getString("accessKeyId");
        String secret = created.getString("accessKeySecret");

        // The new key authenticates (the request then finds resource-service down: 503, not an auth error).
        SignedRpc.action("OnsRegionList").with("AccessKeyId", keyId).secret(secret).send().statusCode(503);

        given().header("Authorization", TOKEN).contentType(ContentType.JSON).body("{\"enabled\":false}")
                .put("/admin/v1/access-keys/" + keyId).then().statusCode(204);
        Thread.sleep(5_100); // the access-key cache TTL
        SignedRpc.action("OnsRegionList").with("AccessKeyId", keyId).secret(secret).send().statusCode(400)
                .body("Code", equalTo("InvalidAccessKeyId.Inactive"));

        String accountId = created.getString("accountId");
        given().header("Authorization", TOKEN).contentType(ContentType.JSON).body("{}")
                .post("/admin/v1/accounts/" + accountId + "/access-keys").then().statusCode(201)
                .body("accountId", equalTo(accountId));
        given().header("Authorization", TOKEN).get("/admin/v1/accounts/" + accountId + "/access-keys").then()
                .statusCode(200).body("$", hasSize(2)).body("[0].enabled", equalTo(false));
    }

    @Test
    void storesSecretsEncrypted() {
        // The bootstrap secret "testsecret" must not appear in the table.
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            Object ciphertext = io.openons.gateway.auth.AccessKey.getEntityManager()
                    .createNativeQuery("SELECT secret_ciphertext FROM gateway.access_key WHERE access_key_id = ?1")
                    .setParameter(1, SignedRpc.KEY_ID).getSingleResult();
            org.hamcrest.MatcherAssert.assertThat(ciphertext.toString(), matchesPattern("v1:[A-Za-z0-9+/=]+"));
        });
    }
}
