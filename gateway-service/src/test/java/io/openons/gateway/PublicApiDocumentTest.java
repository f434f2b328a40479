package io.openons.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import io.openons.contracts.operation.Operation;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The gateway publishes every Action of the public API in its OpenAPI document, browsable in Swagger UI. */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class PublicApiDocumentTest {

    @Test
    void describesEveryActionWithItsParameters() {
        var document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200);
        for (Operation op : Operation.values()) {
            document.body("paths.'/?Action=" + op.action() + "'.post.operationId", equalTo(op.action()));
        }
        document.body("paths.'/?Action=OnsTopicCreate'.post.parameters.name",
                        hasItems("InstanceId", "Topic", "MessageType", "Remark", "Signature", "Timestamp"))
                .body("paths.'/?Action=TagResources'.post.parameters.name", hasItems("ResourceId.N", "Tag.N.Key"))
                .body("components.schemas.ErrorEnvelope.properties.Code", notNullValue())
                .body("paths.'/admin/v1/accounts'.post", notNullValue());
    }

    @Test
    void servesSwaggerUi() {
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().queryParam("format", "json").get("/q/openapi").then()
                .body("paths.'/?Action=OnsTopicList'.post.tags", hasItem("ONS OpenAPI 2019-02-14: resource-service"));
    }
}
