package io.openons.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.openons.signature.RpcSignatureV1;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every rejection of the RPC dialect, and that none of them needs (or reaches) an owning service: the
 * services are not running in these tests, so a request that got through would answer 503.
 */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class RpcRejectionTest {

    private static final String UUID_PATTERN = "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}";

    @Test
    void rejectsAWrongSecretAndQuotesTheServersStringToSign() {
        SignedRpc request = SignedRpc.action("OnsRegionList").secret("not-the-secret");
        String expectedStringToSign = RpcSignatureV1.stringToSign("POST", request.params);
        request.send().statusCode(400)
                .body("Code", equalTo("SignatureDoesNotMatch"))
                .body("Message", equalTo("Specified signature is not matched with our calculation. "
                        + "server string to sign is:" + expectedStringToSign))
                .body("RequestId", matchesPattern(UUID_PATTERN))
                .body("HostId", notNullValue())
                .body("Recommend", notNullValue());
    }

    @Test
    void rejectsASignatureMadeForAnotherMethod() {
        SignedRpc request = SignedRpc.action("OnsRegionList").method("GET");
        String query = request.query();
        given().urlEncodingEnabled(false).post("/?" + query).then().statusCode(400)
                .body("Code", equalTo("SignatureDoesNotMatch"))
                .body("Message", containsString("string to sign is:POST&%2F&"));
    }

    @Test
    void rejectsUnknownAccessKeys() {
        SignedRpc.action("OnsRegionList").with("AccessKeyId", "LTAInobody").send().statusCode(404)
                .body("Code", equalTo("InvalidAccessKeyId.NotFound"))
                .body("Message", containsString("LTAInobody"));
    }

    @Test
    void rejectsTimestampsOutsideTheWindowAndMalformedOnes() {
        String stale = Instant.now().minus(16, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        SignedRpc.action("OnsRegionList").with("Timestamp", stale).send().statusCode(400)
                .body("Code", equalTo("InvalidTimeStamp.Expired"))
                .body("Message", containsString("15 minutes"));
        String future = Instant.now().plus(16, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        SignedRpc.action("OnsRegionList").with("Timestamp", future).send().statusCode(400)
                .body("Code", equalTo("InvalidTimeStamp.Expired"));
        for (String malformed : List.of("2026-11-22 12:00:00", "2026-11-22T12:00:00+08:00", "yesterday",
                "2026-13-45T99:00:00Z")) {
            SignedRpc.action("OnsRegionList").with("Timestamp", malformed).send().statusCode(400)
                    .body("Code", equalTo("InvalidTimeStamp.Format"));
        }
        String almostStale = Instant.now().minus(14, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        SignedRpc.action("OnsRegionList").with("Timestamp", almostStale).send()
                .body("Code", equalTo("ONS_SERVICE_UNAVAILABLE"));
    }

    @Test
    void rejectsAReplayedNonceButNotTheFirstUse() {
        SignedRpc request = SignedRpc.action("OnsRegionList");
        String query = request.query();
        // The first use passes authentication (and then finds resource-service down: 503).
        given().urlEncodingEnabled(false).post("/?" + query).then().statusCode(503)
                .body("Code", equalTo("ONS_SERVICE_UNAVAILABLE"));
        given().urlEncodingEnabled(false).post("/?" + query).then().statusCode(400)
                .body("Code", equalTo("SignatureNonceUsed"));
    }

    @Test
    void aForgedRequestDoesNotBurnTheNonce() {
        SignedRpc forged = SignedRpc.action("OnsRegionList").secret("wrong");
        forged.send().statusCode(400).body("Code", equalTo("SignatureDoesNotMatch"));
        SignedRpc.action("OnsRegionList").with("SignatureNonce", forged.params.get("SignatureNonce"))
                .send().statusCode(503);
    }

    @Test
    void reportsEachMissingCommonParameterByName() {
        for (String name : List.of("Action", "Version", "AccessKeyId", "SignatureMethod", "SignatureVersion",
                "SignatureNonce", "Timestamp")) {
            SignedRpc.action("OnsRegionList").with(name, null).send().statusCode(400)
                    .body("Code", equalTo("Missing" + name));
        }
        SignedRpc.action("OnsRegionList").unsigned().send().statusCode(400).body("Code", equalTo("MissingSignature"));
    }

    @Test
    void rejectsOtherSignatureMethodsAndVersions() {
        SignedRpc.action("OnsRegionList").with("SignatureMethod", "HMAC-SHA256").send().statusCode(400)
                .body("Code", equalTo("UnsupportedSignatureMethod"));
        SignedRpc.action("OnsRegionList").with("SignatureVersion", "2.0").send().statusCode(400)
                .body("Code", equalTo("UnsupportedSignatureVersion"));
    }

    @Test
    void rejectsUnknownActionsAndVersionsWithoutReachingAService() {
        SignedRpc.action("DescribeRegions").send().statusCode(404).body("Code", equalTo("InvalidAction.NotFound"));
        SignedRpc.action("OnsRegionList").with("Version", "2014-05-26").send().statusCode(400)
                .body("Code", equalTo("InvalidVersion"));
    }

    @Test
    void checksParameterPresenceAndTypesBeforeRouting() {
        SignedRpc.action("OnsTopicCreate").with("InstanceId", "MQ_INST_1_x").with("MessageType", "0").send()
                .statusCode(400).body("Code", equalTo("MissingParameter")).body("Message", containsString("Topic"));
        SignedRpc.action("OnsTopicCreate").with("InstanceId", "MQ_INST_1_x").with("Topic", "t")
                .with("MessageType", "normal").send()
                .statusCode(400).body("Code", equalTo("InvalidParameter"))
                .body("Message", containsString("MessageType"));
        SignedRpc.action("OnsGroupConsumerUpdate").with("InstanceId", "i").with("GroupId", "GID_x")
                .with("ReadEnable", "yes").send().statusCode(400).body("Code", equalTo("InvalidParameter"));
        SignedRpc.action("TagResources").with("ResourceType", "TOPIC").with("ResourceId.1", "t")
                .with("Tag.1.Value", "v").send().statusCode(400).body("Code", equalTo("MissingParameter"))
                .body("Message", containsString("Tag.1.Key"));
    }

    @Test
    void rendersErrorsInXmlByDefaultAndOnRequest() {
        SignedRpc.action("DescribeRegions").with("Format", null).send().statusCode(404)
                .contentType(startsWith("text/xml"))
                .body("Error.Code", equalTo("InvalidAction.NotFound"))
                .body("Error.RequestId", matchesPattern(UUID_PATTERN))
                .body("Error.HostId", notNullValue());
        SignedRpc.action("DescribeRegions").with("Format", "XML").send().statusCode(404)
                .contentType(startsWith("text/xml"));
        SignedRpc.action("DescribeRegions").with("Format", "YAML").send().statusCode(400)
                .contentType(startsWith("text/xml")).body("Error.Code", equalTo("InvalidParameter"));
    }

    @Test
    void acceptsGetAndParametersInAFormBody() {
        SignedRpc.action("OnsRegionList").method("GET").send().statusCode(503);
        SignedRpc request = SignedRpc.action("OnsRegionList");
        given().urlEncodingEnabled(false).contentType("application/x-www-form-urlencoded")
                .body(request.query()).post("/").then().statusCode(503)
                .body("Code", equalTo("ONS_SERVICE_UNAVAILABLE"));
    }
}
