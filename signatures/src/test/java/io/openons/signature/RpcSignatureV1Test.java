package io.openons.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcSignatureV1Test {

    /** The worked example of the API reference (§4), reproduced by the SDK's HmacSHA1Signer. */
    private static Map<String, String> documentedExample() {
        Map<String, String> p = new HashMap<>();
        p.put("Timestamp", "2016-02-23T12:46:24Z");
        p.put("Format", "XML");
        p.put("AccessKeyId", "testid");
        p.put("Action", "DescribeRegions");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        p.put("Version", "2014-05-26");
        p.put("SignatureVersion", "1.0");
        return p;
    }

    @Test
    void buildsTheDocumentedStringToSign() {
        assertEquals("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
                + "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
                + "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
                RpcSignatureV1.stringToSign("GET", documentedExample()));
    }

    @Test
    void computesTheDocumentedSignature() {
        String sts = RpcSignatureV1.stringToSign("GET", documentedExample());
        assertEquals("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", RpcSignatureV1.sign("testsecret", sts));
        assertTrue(RpcSignatureV1.verify("testsecret", sts, "OLeaidS1JvxuMvnyHOwuJ+uX5qY="));
    }

    @Test
    void ignoresTheSignatureParameterItself() {
        Map<String, String> withSignature = documentedExample();
        withSignature.put("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        assertEquals(RpcSignatureV1.stringToSign("GET", documentedExample()),
                RpcSignatureV1.stringToSign("GET", withSignature));
    }

    @Test
    void methodIsPartOfTheStringToSign() {
        String post = RpcSignatureV1.stringToSign("POST", documentedExample());
        assertTrue(post.startsWith("POST&%2F&"));
        assertFalse(RpcSignatureV1.verify("testsecret", post, "OLeaidS1JvxuMvnyHOwuJ+uX5qY="));
    }

    @Test
    void rejectsAWrongSecret() {
        String sts = RpcSignatureV1.stringToSign("GET", documentedExample());
        assertFalse(RpcSignatureV1.verify("othersecret", sts, "OLeaidS1JvxuMvnyHOwuJ+uX5qY="));
        assertFalse(RpcSignatureV1.verify("testsecret", sts, null));
    }

    @Test
    void encodesAwkwardCharactersAsTheSdkDoes() {
        // From ons-sdk-wire-facts.md: Remark = "a b*c~d+e/f=g&h:i中"
        Map<String, String> p = Map.of("Remark", "a b*c~d+e/f=g&h:i中");
        String sts = RpcSignatureV1.stringToSign("POST", p);
        assertEquals("POST&%2F&Remark%3Da%2520b%252Ac~d%252Be%252Ff%253Dg%2526h%253Ai%25E4%25B8%25AD", sts);
    }

    @Test
    void sortsNamesCaseSensitively() {
        Map<String, String> p = Map.of("b", "1", "B", "2", "a", "3");
        assertEquals("GET&%2F&B%3D2%26a%3D3%26b%3D1", RpcSignatureV1.stringToSign("GET", p));
    }
}
