package io.openons.e2e.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.ons.model.v20190214.OnsMessageDetailRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessageDetailResponse;
import com.aliyuncs.ons.model.v20190214.OnsMessageGetByKeyRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessageGetByKeyResponse;
import com.aliyuncs.ons.model.v20190214.OnsMessageGetByMsgIdRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessageGetByMsgIdResponse;
import com.aliyuncs.ons.model.v20190214.OnsMessagePageQueryByTopicRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessagePageQueryByTopicResponse;
import com.aliyuncs.ons.model.v20190214.OnsTopicStatusRequest;
import com.aliyuncs.ons.model.v20190214.OnsTopicStatusResponse;
import io.openons.e2e.OnsApi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The message-query Actions through the official ONS SDK (JSON and XML), answered from the index of messages
 * published with the MQ HTTP SDK.
 */
class MessageQueriesE2ETest {

    private static MessagingAccount account;
    private static String instance;
    private static String topic;
    private static final List<TopicMessage> SENT = new ArrayList<>();
    private static long begin;
    private static long end;

    @BeforeAll
    static void publish() throws Exception {
        account = MessagingAccount.create("queries");
        instance = account.instance();
        topic = account.topic(instance, 0);
        MQProducer producer = account.mq.getProducer(instance, topic);
        begin = System.currentTimeMillis() - 1;
        for (int i = 0; i < 12; i++) {
            TopicMessage m = new TopicMessage(("query body " + i).getBytes(StandardCharsets.UTF_8), "Tag" + (i % 2));
            m.setMessageKey(i < 3 ? "shared-key" : "key-" + i);
            m.getProperties().put("n", Integer.toString(i));
            SENT.add(producer.publishMessage(m));
        }
        end = System.currentTimeMillis() + 1;
        // Wait until the index holds all twelve (index lag is well under a second).
        long deadline = System.currentTimeMillis() + 20_000;
        while (status(account.ons).getTotalCount() < 12 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void tearDown() {
        account.close();
    }

    private static OnsApi api(String format) {
        return "XML".equals(format) ? account.ons.xml() : account.ons;
    }

    private static OnsTopicStatusResponse.Data status(OnsApi api) throws Exception {
        OnsTopicStatusRequest request = new OnsTopicStatusRequest();
        request.setInstanceId(instance);
        request.setTopic(topic);
        return api.call(request).getData();
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void getByMsgIdAnswersTheStoredMessage(String format) throws Exception {
        TopicMessage sent = SENT.get(4);
        OnsMessageGetByMsgIdRequest request = new OnsMessageGetByMsgIdRequest();
        request.setInstanceId(instance);
        request.setTopic(topic);
        request.setMsgId(sent.getMessageId());
        OnsMessageGetByMsgIdResponse.Data data = api(format).call(request).getData();
        assertEquals(sent.getMessageId(), data.getMsgId());
        assertEquals(instance, data.getInstanceId());
        assertEquals(topic, data.getTopic());
        assertEquals("query body 4", data.getBody());
        CRC32 crc = new CRC32();
        crc.update("query body 4".getBytes(StandardCharsets.UTF_8));
        assertEquals((int) crc.getValue(), data.getBodyCRC());
        assertTrue(data.getStoreTimestamp() >= begin && data.getStoreTimestamp() <= end);
        assertTrue(data.getBornTimestamp() <= data.getStoreTimestamp());
        assertTrue(data.getBornHost().contains(":"), data.getBornHost());
        assertNotNull(data.getStoreHost());
        assertTrue(data.getStoreSize() > "query body 4".length());
        Map<String, String> properties = data.getPropertyList().stream().collect(Collectors.toMap(
                OnsMessageGetByMsgIdResponse.Data.MessageProperty::getName,
                OnsMessageGetByMsgIdResponse.Data.MessageProperty::getValue));
        assertEquals("Tag0", properties.get("TAGS"));
        assertEquals("key-4", properties.get("KEYS"));
        assertEquals("4", properties.get("n"));
        assertEquals(instance, properties.get("INSTANCE_ID"));

        request.setMsgId("00000000000000000000000000000000");
        ClientException none = assertThrows(ClientException.class, () -> api(format).call(request));
        assertEquals("BIZ_NO_MESSAGE", none.getErrCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void getByKeyAndDetail(String format) throws Exception {
        OnsMessageGetByKeyRequest byKey = new OnsMessageGetByKeyRequest();
        byKey.setInstanceId(instance);
        byKey.setTopic(topic);
        byKey.setKey("shared-key");
        List<OnsMessageGetByKeyResponse.OnsRestMessageDo> found = api(format).call(byKey).getData();
        assertEquals(SENT.subList(0, 3).stream().map(TopicMessage::getMessageId).collect(Collectors.toSet()),
                found.stream().map(OnsMessageGetByKeyResponse.OnsRestMessageDo::getMsgId).collect(Collectors.toSet()));
        byKey.setKey("nobody-used-this-key");
        assertEquals("BIZ_NO_MESSAGE", assertThrows(ClientException.class, () -> api(format).call(byKey))
                .getErrCode());

        OnsMessageDetailRequest detail = new OnsMessageDetailRequest();
        detail.setInstanceId(instance);
        detail.setTopic(topic);
        detail.setMsgId(SENT.get(7).getMessageId());
        OnsMessageDetailResponse.Data data = api(format).call(detail).getData();
        assertEquals("query body 7", data.getBody());
        assertTrue(data.getPropertyList().stream().anyMatch(p -> p.getName().equals("KEYS")
                && p.getValue().equals("key-7")), "bare PropertyList array parsed by the SDK");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void pageQueryFixesItsResultUnderATaskId(String format) throws Exception {
        OnsApi api = api(format);
        OnsMessagePageQueryByTopicRequest first = new OnsMessagePageQueryByTopicRequest();
        first.setInstanceId(instance);
        first.setTopic(topic);
        first.setBeginTime(begin);
        first.setEndTime(end);
        first.setCurrentPage(1);
        first.setPageSize(5);
        OnsMessagePageQueryByTopicResponse.MsgFoundDo page1 = api.call(first).getMsgFoundDo();
        assertEquals(1L, page1.getCurrentPage());
        assertEquals(3L, page1.getMaxPageCount(), "12 messages, 5 per page");
        assertEquals(5, page1.getMsgFoundList().size());
        assertNotNull(page1.getTaskId());

        // Messages stored later do not change the task's result set.
        account.mq.getProducer(instance, topic).publishMessage(new TopicMessage("late".getBytes(StandardCharsets.UTF_8)));
        List<String> all = new ArrayList<>();
        page1.getMsgFoundList().forEach(m -> all.add(m.getMsgId()));
        for (int p = 2; p <= 3; p++) {
            OnsMessagePageQueryByTopicRequest next = new OnsMessagePageQueryByTopicRequest();
            next.setInstanceId(instance);
            next.setTopic(topic);
            next.setTaskId(page1.getTaskId());
            next.setCurrentPage(p);
            next.setBeginTime(0L);
            next.setEndTime(Long.MAX_VALUE);
            OnsMessagePageQueryByTopicResponse.MsgFoundDo page = api.call(next).getMsgFoundDo();
            assertEquals((long) p, page.getCurrentPage());
            assertEquals(3L, page.getMaxPageCount());
            page.getMsgFoundList().forEach(m -> all.add(m.getMsgId()));
        }
        assertEquals(SENT.stream().map(TopicMessage::getMessageId).collect(Collectors.toSet()), new java.util.HashSet<>(all));
        assertEquals(12, all.size(), "no message twice across pages");

        OnsMessagePageQueryByTopicRequest beyond = new OnsMessagePageQueryByTopicRequest();
        beyond.setInstanceId(instance);
        beyond.setTopic(topic);
        beyond.setTaskId(page1.getTaskId());
        beyond.setCurrentPage(4);
        assertEquals("BIZ_FIELD_CHECK_INVALID", assertThrows(ClientException.class, () -> api.call(beyond))
                .getErrCode());
        first.setPageSize(4);
        assertEquals("BIZ_FIELD_CHECK_INVALID", assertThrows(ClientException.class, () -> api.call(first))
                .getErrCode(), "PageSize is 5 to 50");
        first.setPageSize(20);
        first.setBeginTime(end + 60_000);
        first.setEndTime(end + 120_000);
        assertEquals("BIZ_NO_MESSAGE", assertThrows(ClientException.class, () -> api.call(first)).getErrCode());

        // A TaskId belongs to its account.
        try (MessagingAccount other = MessagingAccount.create("queries-other")) {
            OnsMessagePageQueryByTopicRequest stolen = new OnsMessagePageQueryByTopicRequest();
            stolen.setInstanceId(instance);
            stolen.setTopic(topic);
            stolen.setTaskId(page1.getTaskId());
            stolen.setCurrentPage(2);
            ClientException e = assertThrows(ClientException.class, () -> other.ons.call(stolen));
            assertEquals("AUTH_RESOURCE_OWNER_ERROR", e.getErrCode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void topicStatusCountsTheIndexedMessages(String format) throws Exception {
        OnsTopicStatusResponse.Data data = status(api(format));
        assertTrue(data.getTotalCount() >= 12, "total " + data.getTotalCount());
        assertTrue(data.getLastTimeStamp() >= begin && data.getLastTimeStamp() <= System.currentTimeMillis(),
                "LastTimeStamp " + data.getLastTimeStamp());
        assertEquals(6, data.getPerm());
    }
}
