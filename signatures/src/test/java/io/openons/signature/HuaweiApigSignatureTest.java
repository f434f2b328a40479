package io.openons.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worked examples of huawei-apig-signing.md §3 (reproduced there by the SDK's own signer). */
class HuaweiApigSignatureTest {

    private static final String DATE = "20230102T150405Z";

    @Test
    void sendMessageExample() {
        String body = "{\"topic\":\"TopicA\",\"body\":\"hello\",\"property_list\":[{\"name\":\"KEYS\",\"value\":\"k1\"}]}";
        Map<String, String> headers = Map.of("host", "rocketmq.example.com", "x-project-id", "proj123",
                "x-sdk-date", DATE);
        List<String> signed = List.of("host", "x-project-id", "x-sdk-date");
        String bodyHash = HuaweiApigSignature.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        assertEquals("08f9ebb2fc72174097e8878498978d6b39141d16289c3896246782c7b55fa45b", bodyHash);
        String cr = HuaweiApigSignature.canonicalRequest("POST", "/v2/rocketmq/proj123/instances/inst-1/messages",
                Map.of(), signed, headers::get, bodyHash);
        assertEquals("POST\n/v2/rocketmq/proj123/instances/inst-1/messages/\n\nhost:rocketmq.example.com\n"
                + "x-project-id:proj123\nx-sdk-date:20230102T150405Z\n\nhost;x-project-id;x-sdk-date\n" + bodyHash, cr);
        String sts = HuaweiApigSignature.stringToSign(DATE, cr);
        assertEquals("SDK-HMAC-SHA256\n20230102T150405Z\n"
                + "1412268a63e3b9b5aef588a9712576c8735ad4b6d1ec556a29aa8be9d2e28e97", sts);
        String signature = HuaweiApigSignature.sign("testsecret", sts);
        assertEquals("0500695feb95ae75c3034f2b878ff9ec2760ba5b2e55e77689b250ef38645522", signature);
        assertEquals("SDK-HMAC-SHA256 Access=testid, SignedHeaders=host;x-project-id;x-sdk-date, "
                + "Signature=0500695feb95ae75c3034f2b878ff9ec2760ba5b2e55e77689b250ef38645522",
                HuaweiApigSignature.authorization("testid", signed, signature));
        assertTrue(HuaweiApigSignature.verify("testsecret", sts, signature));
        assertFalse(HuaweiApigSignature.verify("othersecret", sts, signature));
    }

    @Test
    void getWithQueryNeedingEncoding() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("topic", List.of("Topic A/b"));
        query.put("msg_id", List.of("m*1~x"));
        query.put("limit", List.of("10"));
        query.put("offset", List.of("0"));
        Map<String, String> headers = Map.of("host", "rocketmq.example.com",
                "user-agent", "huaweicloud-usdk-java/3.0", "x-project-id", "proj123", "x-sdk-date", DATE);
        String cr = HuaweiApigSignature.canonicalRequest("GET", "/v2/reliability/proj123/instances/inst-1/messages",
                query, List.of("host", "user-agent", "x-project-id", "x-sdk-date"), headers::get,
                HuaweiApigSignature.EMPTY_BODY_SHA256);
        assertEquals("GET\n/v2/reliability/proj123/instances/inst-1/messages/\n"
                + "limit=10&msg_id=m%2A1~x&offset=0&topic=Topic%20A%2Fb\n"
                + "host:rocketmq.example.com\nuser-agent:huaweicloud-usdk-java/3.0\nx-project-id:proj123\n"
                + "x-sdk-date:20230102T150405Z\n\nhost;user-agent;x-project-id;x-sdk-date\n"
                + HuaweiApigSignature.EMPTY_BODY_SHA256, cr);
        String sts = HuaweiApigSignature.stringToSign(DATE, cr);
        assertEquals("SDK-HMAC-SHA256\n20230102T150405Z\n"
                + "cb3926ab9033c2fd653c206d3a6fcf865feee8c7e84eee2da436a3ae416f05a2", sts);
        assertEquals("a679c80883b842d878bf8ecd57694dad483b6af9a02d9eb3f3f6fbb710b651b3",
                HuaweiApigSignature.sign("testsecret", sts));
    }

    @Test
    void parsesTheAuthorizationHeaderTheSdkSends() {
        HuaweiApigSignature.Authorization a = HuaweiApigSignature.parseAuthorization(
                "SDK-HMAC-SHA256 Access=testid, SignedHeaders=host;user-agent;x-project-id;x-sdk-date, "
                        + "Signature=d5b03edf0a2121ae98c06f422b13883306c23a078082b00f7c2d41ccf24965ec");
        assertEquals("testid", a.accessKey());
        assertEquals(List.of("host", "user-agent", "x-project-id", "x-sdk-date"), a.signedHeaders());
        assertEquals("d5b03edf0a2121ae98c06f422b13883306c23a078082b00f7c2d41ccf24965ec", a.signature());
        assertNull(HuaweiApigSignature.parseAuthorization("MQ testid:abc="));
        assertNull(HuaweiApigSignature.parseAuthorization("SDK-HMAC-SHA256 Access=testid, Signature=00"));
        assertNull(HuaweiApigSignature.parseAuthorization(null));
    }

    @Test
    void canonicalUriEncodesEverySegmentAndEndsWithSlash() {
        assertEquals("/v2/a%20b/c/", HuaweiApigSignature.canonicalUri("/v2/a b/c"));
        assertEquals("/", HuaweiApigSignature.canonicalUri(""));
        assertEquals("/x/", HuaweiApigSignature.canonicalUri("/x/"));
    }
}
