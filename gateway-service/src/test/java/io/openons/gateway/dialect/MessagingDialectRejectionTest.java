package io.openons.gateway.dialect;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import io.openons.signature.HuaweiApigSignature;
import io.openons.signature.MqHttpSignature;
import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rejections of the MQ HTTP and REST dialects, in the protocols' own terms. message-service is not running in
 * these tests: a request that passes authentication answers ServiceUnavailable, which shows it got through.
 */
@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class MessagingDialectRejectionTest {

    private static final String KEY = "LTAItestbootstrapkey";
    private static final String SECRET = "testsecret";
    private static final String ACCOUNT = "1000000000000001";
    private static final String XML_TYPE = "text/xml;charset=UTF-8";
    private static final String PUBLISH_BODY = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>"
            + "<Message xmlns=\"http://mq.aliyuncs.com/doc/v1\"><MessageBody>hello</MessageBody></Message>";

    private static String now() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    private static RequestSpecification mq(String method, String resource, String secret, String date) {
        Map<String, String> headers = Map.of("content-type", XML_TYPE, "date", date, "x-mq-version", "2015-06-06");
        String signature = MqHttpSignature.sign(secret, MqHttpSignature.stringToSign(method, headers, resource));
        return given().urlEncodingEnabled(false)
                .config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("Date", date).header("x-mq-version", "2015-06-06").contentType(XML_TYPE)
                .header("Authorization", "MQ " + KEY + ":" + signature);
    }

    private static void mqError(ValidatableResponse r, int status, String code) {
        r.statusCode(status)
                .header("x-mq-request-id", matchesPattern("[0-9A-F]{32}"))
                .contentType(startsWith("text/xml"))
                .body(containsString("<Error xmlns=\"http://mq.aliyuncs.com/doc/v1\">"))
                .body(containsString("<Code>" + code + "</Code>"))
                .body(containsString("<HostId>"));
    }

    @Test
    void mqRejectsMissingAndMalformedAuthorization() {
        mqError(given().contentType(XML_TYPE).body(PUBLISH_BODY).post("/topics/T1/messages?ns=MQ_INST_1").then(),
                400, "MissingAuthorizationHeader");
        mqError(given().header("Authorization", "MQ nocolon").header("Date", now()).contentType(XML_TYPE)
                .body(PUBLISH_BODY).post("/topics/T1/messages").then(), 400, "InvalidAuthorizationHeader");
    }

    @Test
    void mqRejectsWrongSecretsUnknownKeysAndStaleDatesOnEveryOperation() {
        String resource = "/topics/T1/messages?ns=MQ_INST_1";
        mqError(mq("POST", resource, "wrong", now()).body(PUBLISH_BODY).post(resource).then(), 403,
                "SignatureDoesNotMatch");
        String consume = "/topics/T1/messages?numOfMessages=1&consumer=GID_x&ns=MQ_INST_1";
        mqError(mq("GET", consume, "wrong", now()).get(consume).then(), 403, "SignatureDoesNotMatch");
        String ack = "/topics/T1/messages?consumer=GID_x&ns=MQ_INST_1";
        mqError(mq("DELETE", ack, "wrong", now()).body("<ReceiptHandles><ReceiptHandle>h</ReceiptHandle>"
                + "</ReceiptHandles>").delete(ack).then(), 403, "SignatureDoesNotMatch");
        mqError(given().urlEncodingEnabled(false).header("Authorization", "MQ LTAInobody:abc=").header("Date", now())
                .contentType(XML_TYPE).body(PUBLISH_BODY).post(resource).then(), 403, "InvalidAccessKeyId");
        String stale = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(16));
        mqError(mq("POST", resource, SECRET, stale).body(PUBLISH_BODY).post(resource).then(), 408, "TimeExpired");
        mqError(mq("POST", resource, SECRET, "yesterday").body(PUBLISH_BODY).post(resource).then(), 400,
                "InvalidDateHeader");
    }

    @Test
    void mqValidatesTheRequestAfterAuthenticationAndForwardsValidOnes() {
        String resource = "/topics/T1/messages?ns=MQ_INST_1";
        mqError(mq("POST", resource, SECRET, now()).body("<Message><MessageBody>x</Message>").post(resource).then(),
                400, "MalformedXML");
        mqError(mq("POST", resource, SECRET, now()).body("<Message><MessageBody>x</MessageBody><Properties>a:b:c|"
                + "</Properties></Message>").post(resource).then(), 400, "InvalidArgument");
        String noConsumer = "/topics/T1/messages?numOfMessages=1&ns=MQ_INST_1";
        mqError(mq("GET", noConsumer, SECRET, now()).get(noConsumer).then(), 400, "InvalidArgument");
        String badTrans = "/topics/T1/messages?numOfMessages=1&consumer=GID_x&trans=bogus";
        mqError(mq("GET", badTrans, SECRET, now()).get(badTrans).then(), 400, "InvalidArgument");
        // Authenticated and well-formed: it reaches for message-service, which does not run here.
        mqError(mq("POST", resource, SECRET, now()).body(PUBLISH_BODY).post(resource).then(), 503,
                "ServiceUnavailable");
    }

    private static RequestSpecification huawei(String projectId, String secret, String body) {
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
        String path = "/v2/rocketmq/" + projectId + "/instances/MQ_INST_1/messages";
        String host = "localhost:" + io.restassured.RestAssured.port;
        List<String> signed = List.of("host", "x-project-id", "x-sdk-date");
        Map<String, String> headers = Map.of("host", host, "x-project-id", projectId, "x-sdk-date", date);
        String canonical = HuaweiApigSignature.canonicalRequest("POST", path, Map.of(), signed, headers::get,
                HuaweiApigSignature.sha256Hex(body.getBytes(StandardCharsets.UTF_8)));
        String signature = HuaweiApigSignature.sign(secret, HuaweiApigSignature.stringToSign(date, canonical));
        return given().header("Host", host).header("X-Project-Id", projectId).header("X-Sdk-Date", date)
                .header("Authorization", HuaweiApigSignature.authorization(KEY, signed, signature))
                .contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void restRejectsBadSignaturesWithApigw0301AndForeignProjects() {
        String body = "{\"topic\":\"T1\",\"body\":\"hi\"}";
        String path = "/v2/rocketmq/" + ACCOUNT + "/instances/MQ_INST_1/messages";
        given().contentType("application/json").body(body).post(path).then().statusCode(401)
                .body("error_code", equalTo("APIGW.0301")).header("X-Request-Id", matchesPattern("[0-9a-f]{32}"));
        huawei(ACCOUNT, "wrong", body).post(path).then().statusCode(401).body("error_code", equalTo("APIGW.0301"))
                .body("error_msg", containsString("verify aksk signature fail"));
        String other = "/v2/rocketmq/1999999999999999/instances/MQ_INST_1/messages";
        huawei("1999999999999999", SECRET, body).post(other).then().statusCode(403)
                .body("error_code", equalTo("AccessDenied"));
        huawei(ACCOUNT, SECRET, "{\"body\":\"no topic\"}").post(path).then().statusCode(400)
                .body("error_code", equalTo("InvalidArgument"));
        huawei(ACCOUNT, SECRET, body).post(path).then().statusCode(503)
                .body("error_code", equalTo("ServiceUnavailable"));
    }
}
