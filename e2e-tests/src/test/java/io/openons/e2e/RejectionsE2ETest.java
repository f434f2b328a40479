package io.openons.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.ons.model.v20190214.*;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rejection of issue 2, answered with its code through the official SDK (JSON and XML answers). */
class RejectionsE2ETest {

    private static Accounts.Key key;
    private static OnsApi account;

    @BeforeAll
    static void newAccount() throws Exception {
        key = Accounts.create(Suite.get(), "rejections");
        account = OnsApi.of(Suite.get(), key.accessKeyId(), key.accessKeySecret());
    }

    @AfterEach
    void resetWire() {
        WireTap.reset();
    }

    private static OnsApi api(String format) {
        return "XML".equals(format) ? account.xml() : account;
    }

    private static ClientException rejected(Executable call) {
        ClientException e = assertThrows(ClientException.class, call);
        assertNotNull(e.getRequestId(), "every error carries a RequestId");
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void wrongSecretIsRecognisedByTheSdkFromTheQuotedStringToSign(String format) {
        OnsApi wrong = OnsApi.of(Suite.get(), key.accessKeyId(), "not-the-secret");
        OnsApi api = "XML".equals(format) ? wrong.xml() : wrong;
        // The SDK turns SignatureDoesNotMatch into SDK.InvalidAccessKeySecret only when the server quotes
        // exactly the string to sign the SDK computed.
        ClientException e = rejected(() -> api.call(new OnsRegionListRequest()));
        assertEquals("SDK.InvalidAccessKeySecret", e.getErrCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void unknownAndDisabledKeys(String format) throws Exception {
        OnsApi unknown = OnsApi.of(Suite.get(), "LTAInobodyhas" + format, "x");
        OnsApi api = "XML".equals(format) ? unknown.xml() : unknown;
        assertEquals("InvalidAccessKeyId.NotFound", rejected(() -> api.call(new OnsRegionListRequest())).getErrCode());

        Accounts.Key extra = Accounts.createKey(Suite.get(), key.accountId());
        OnsApi extraApi = OnsApi.of(Suite.get(), extra.accessKeyId(), extra.accessKeySecret());
        OnsApi extraFormatted = "XML".equals(format) ? extraApi.xml() : extraApi;
        extraFormatted.call(new OnsRegionListRequest());
        Accounts.setEnabled(Suite.get(), extra.accessKeyId(), false);
        Thread.sleep(1_500); // access-key cache TTL of the e2e suite
        assertEquals("InvalidAccessKeyId.Inactive",
                rejected(() -> extraFormatted.call(new OnsRegionListRequest())).getErrCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void staleFutureAndMalformedTimestamps(String format) {
        OnsApi api = api(format);
        WireTap.rewriteWith(WireRewrites.resigned(key.accessKeySecret(), p -> p.put("Timestamp",
                Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString())));
        assertEquals("InvalidTimeStamp.Expired", rejected(() -> api.call(new OnsRegionListRequest())).getErrCode());
        WireTap.rewriteWith(WireRewrites.resigned(key.accessKeySecret(), p -> p.put("Timestamp",
                Instant.now().plus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString())));
        assertEquals("InvalidTimeStamp.Expired", rejected(() -> api.call(new OnsRegionListRequest())).getErrCode());
        WireTap.rewriteWith(WireRewrites.resigned(key.accessKeySecret(),
                p -> p.put("Timestamp", "2026/11/22 12:00:00")));
        assertEquals("InvalidTimeStamp.Format", rejected(() -> api.call(new OnsRegionListRequest())).getErrCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void replayedNonce(String format) throws Exception {
        OnsApi api = api(format);
        api.call(new OnsRegionListRequest());
        WireTap.rewriteWith(WireRewrites.replay(WireTap.last()));
        assertEquals("SignatureNonceUsed", rejected(() -> api.call(new OnsRegionListRequest())).getErrCode());
    }

    @Test
    void otherSignatureMethodsAndMissingCommonParameters() {
        WireTap.rewriteWith(WireRewrites.resigned(key.accessKeySecret(),
                p -> p.put("SignatureMethod", "HMAC-SHA256")));
        assertEquals("UnsupportedSignatureMethod",
                rejected(() -> account.call(new OnsRegionListRequest())).getErrCode());
        WireTap.rewriteWith(WireRewrites.resigned(key.accessKeySecret(), p -> p.remove("SignatureNonce")));
        assertEquals("MissingSignatureNonce", rejected(() -> account.call(new OnsRegionListRequest())).getErrCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void unknownActionsVersionsAndBadParameters(String format) {
        OnsApi api = api(format);
        assertEquals("InvalidAction.NotFound", rejected(() -> api.common("OnsNoSuchAction", "2019-02-14"))
                .getErrCode());
        assertEquals("InvalidVersion", rejected(() -> api.common("OnsRegionList", "2014-05-26")).getErrCode());
        assertEquals("InvalidParameter", rejected(() -> api.common("OnsTopicCreate", "2019-02-14",
                "InstanceId", "MQ_INST_1_x", "Topic", "abc", "MessageType", "normal")).getErrCode());
        OnsTopicCreateRequest noTopic = new OnsTopicCreateRequest();
        noTopic.setInstanceId("MQ_INST_1_x");
        noTopic.setMessageType(0);
        ClientException missing = rejected(() -> api.call(noTopic));
        assertEquals("MissingParameter", missing.getErrCode());
        assertTrue(missing.getErrMsg().contains("Topic"), missing.getErrMsg());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void businessErrors(String format) throws Exception {
        OnsApi api = api(format);
        OnsInstanceBaseInfoRequest info = new OnsInstanceBaseInfoRequest();
        info.setInstanceId("MQ_INST_" + key.accountId() + "_missing0");
        assertEquals("INSTANCE_NOT_FOUND", rejected(() -> api.call(info)).getErrCode());

        OnsTopicListRequest topics = new OnsTopicListRequest();
        topics.setInstanceId("MQ_INST_" + key.accountId() + "_missing0");
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", rejected(() -> api.call(topics)).getErrCode());

        String instance = Fixtures.instance(api);
        Fixtures.topic(api, instance, "dup-topic", 0);
        assertEquals("BIZ_TOPIC_EXISTED", rejected(() -> Fixtures.topic(api, instance, "dup-topic", 0)).getErrCode());
        Fixtures.group(api, instance, "GID_dup", null);
        assertEquals("BIZ_SUBSCRIPTION_EXISTED",
                rejected(() -> Fixtures.group(api, instance, "GID_dup", null)).getErrCode());
        ClientException invalid = rejected(() -> Fixtures.topic(api, instance, "GID_not_a_topic", 0));
        assertEquals("BIZ_FIELD_CHECK_INVALID", invalid.getErrCode());
        assertTrue(invalid.getErrMsg().contains("CID or GID"), invalid.getErrMsg());

        OnsTopicDeleteRequest deleteMissing = new OnsTopicDeleteRequest();
        deleteMissing.setInstanceId(instance);
        deleteMissing.setTopic("never-created");
        assertEquals("BIZ_TOPIC_NOT_FOUND", rejected(() -> api.call(deleteMissing)).getErrCode());
        OnsGroupDeleteRequest deleteGroup = new OnsGroupDeleteRequest();
        deleteGroup.setInstanceId(instance);
        deleteGroup.setGroupId("GID_never");
        assertEquals("BIZ_SUBSCRIPTION_NOT_FOUND", rejected(() -> api.call(deleteGroup)).getErrCode());

        OnsInstanceDeleteRequest delete = new OnsInstanceDeleteRequest();
        delete.setInstanceId(instance);
        assertEquals("INSTANCE_NOT_EMPTY", rejected(() -> api.call(delete)).getErrCode());
    }

    @Test
    void atMostEightInstancesPerRegion() throws Exception {
        OnsApi api = OnsApi.newAccount(Suite.get(), "instance-limit");
        for (int i = 0; i < 8; i++) {
            Fixtures.instance(api);
        }
        ClientException e = rejected(() -> Fixtures.instance(api));
        assertEquals("BIZ_INSTANCE_LIMIT_EXCEEDED", e.getErrCode());
        assertTrue(e.getErrMsg().contains("8 instance(s)"), e.getErrMsg());
    }
}
