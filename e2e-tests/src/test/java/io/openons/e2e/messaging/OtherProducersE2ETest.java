package io.openons.e2e.messaging;

import static io.openons.e2e.messaging.MessagingAccount.consume;
import static io.openons.e2e.messaging.MessagingAccount.handles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.model.Message;
import com.aliyuncs.ons.model.v20190214.OnsMessageGetByKeyRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessageGetByKeyResponse;
import com.aliyuncs.ons.model.v20190214.OnsMessageGetByMsgIdRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessageGetByMsgIdResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The other two ways in: Huawei Cloud's REST send API and a plain Kafka producer on the ONS topic's Kafka
 * topic. Their messages are consumed with the MQ HTTP SDK and found with the ONS SDK's query Actions.
 */
class OtherProducersE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static MessagingAccount account;
    private static String instance;

    @BeforeAll
    static void setUp() throws Exception {
        account = MessagingAccount.create("other-producers");
        instance = account.instance();
    }

    @AfterAll
    static void tearDown() {
        account.close();
    }

    @Test
    void restSendMessageIsStoredConsumedAndQueryable() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        HuaweiRestClient rest = new HuaweiRestClient(account.suite.endpoint(), account.key);
        String json = "{\"topic\":\"" + topic + "\",\"body\":\"huawei hello\",\"property_list\":["
                + "{\"name\":\"KEYS\",\"value\":\"hw-key-1\"},{\"name\":\"TAGS\",\"value\":\"TagHw\"},"
                + "{\"name\":\"origin\",\"value\":\"rest\"}],\"msg_id\":\"ignored\",\"queue_id\":99}";
        HttpResponse<String> sent = rest.send(account.key.accountId(), instance, json);
        assertEquals(200, sent.statusCode(), sent.body());
        JsonNode answer = JSON.readTree(sent.body());
        String msgId = answer.get("msg_id").asText();
        assertTrue(msgId.matches("[0-9A-F]{32}"), msgId);
        assertEquals(topic, answer.get("topic").asText());
        assertEquals("huawei hello", answer.get("body").asText());
        assertTrue(answer.get("queue_id").isInt() && answer.get("queue_id").asInt() >= 0
                && answer.get("queue_id").asInt() < 4, "queue_id is the partition: " + answer);
        assertTrue(answer.get("queue_offset").isNumber() && answer.get("queue_offset").asLong() >= 0);
        assertTrue(answer.get("broker_name").asText().startsWith("broker-"), answer.toString());
        assertEquals(3, answer.get("property_list").size());

        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, "TagHw");
        List<Message> got = consume(consumer, 1, 20_000);
        assertEquals(msgId, got.get(0).getMessageId());
        assertEquals("hw-key-1", got.get(0).getMessageKey());
        assertEquals("rest", got.get(0).getProperties().get("origin"));
        consumer.ackMessage(handles(got));

        OnsMessageGetByMsgIdResponse.Data found = byId(topic, msgId);
        assertEquals(answer.get("queue_offset").asLong(), Long.parseLong(found.getOffsetId().substring(16), 16));
        Map<String, String> properties = found.getPropertyList().stream().collect(Collectors.toMap(
                OnsMessageGetByMsgIdResponse.Data.MessageProperty::getName,
                OnsMessageGetByMsgIdResponse.Data.MessageProperty::getValue));
        assertEquals("TagHw", properties.get("TAGS"));
        assertEquals("hw-key-1", properties.get("KEYS"));

        assertEquals(401, rest.send(account.key.accountId(), instance, json, "wrong-secret").statusCode());
        HttpResponse<String> foreignProject = rest.send("1999999999999999", instance, json);
        assertEquals(403, foreignProject.statusCode(), foreignProject.body());
        HttpResponse<String> noTopic = rest.send(account.key.accountId(), instance, "{\"body\":\"x\"}");
        assertEquals(400, noTopic.statusCode());
        assertEquals("InvalidArgument", JSON.readTree(noTopic.body()).get("error_code").asText());
    }

    @Test
    void plainKafkaProducerRecordsAreIndexedQueryableAndConsumable() throws Exception {
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        String kafkaTopic = instance + "." + topic;
        RecordMetadata withId;
        RecordMetadata withoutId;
        String givenId = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", account.suite.kafkaBootstrap(), "acks", "all",
                "key.serializer", StringSerializer.class, "value.serializer", ByteArraySerializer.class))) {
            ProducerRecord<String, byte[]> tagged = new ProducerRecord<>(kafkaTopic, "native one"
                    .getBytes(StandardCharsets.UTF_8));
            tagged.headers().add("UNIQ_KEY", givenId.getBytes(StandardCharsets.UTF_8));
            tagged.headers().add("TAGS", "TagK".getBytes(StandardCharsets.UTF_8));
            tagged.headers().add("KEYS", "kafka-key-1 kafka-key-2".getBytes(StandardCharsets.UTF_8));
            tagged.headers().add("source", "kafka".getBytes(StandardCharsets.UTF_8));
            withId = producer.send(tagged).get(10, TimeUnit.SECONDS);
            ProducerRecord<String, byte[]> bare = new ProducerRecord<>(kafkaTopic, "k", "no headers at all"
                    .getBytes(StandardCharsets.UTF_8));
            withoutId = producer.send(bare).get(10, TimeUnit.SECONDS);
        }
        MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);
        List<Message> got = consume(consumer, 2, 20_000);
        assertEquals(2, got.size());
        Message tagged = got.stream().filter(m -> m.getMessageId().equals(givenId)).findFirst().orElseThrow();
        assertEquals("TagK", tagged.getMessageTag());
        assertEquals("kafka", tagged.getProperties().get("source"));
        Message bare = got.stream().filter(m -> !m.getMessageId().equals(givenId)).findFirst().orElseThrow();
        assertTrue(bare.getMessageId().matches("[0-9A-F]{32}"), "an id is assigned: " + bare.getMessageId());
        assertEquals("no headers at all", bare.getMessageBodyString());
        consumer.ackMessage(handles(got));

        OnsMessageGetByKeyRequest byKey = new OnsMessageGetByKeyRequest();
        byKey.setInstanceId(instance);
        byKey.setTopic(topic);
        byKey.setKey("kafka-key-2");
        List<OnsMessageGetByKeyResponse.OnsRestMessageDo> keyed = account.ons.call(byKey).getData();
        assertEquals(List.of(givenId), keyed.stream().map(OnsMessageGetByKeyResponse.OnsRestMessageDo::getMsgId)
                .toList());
        assertEquals(withId.timestamp(), keyed.get(0).getStoreTimestamp());
        OnsMessageGetByMsgIdResponse.Data found = byId(topic, bare.getMessageId());
        assertEquals("no headers at all", found.getBody());
        assertEquals(withoutId.offset(), Long.parseLong(found.getOffsetId().substring(16), 16));
        assertEquals(withoutId.partition(), Integer.parseInt(found.getOffsetId().substring(0, 16), 16));
    }

    private static OnsMessageGetByMsgIdResponse.Data byId(String topic, String msgId) throws Exception {
        OnsMessageGetByMsgIdRequest request = new OnsMessageGetByMsgIdRequest();
        request.setInstanceId(instance);
        request.setTopic(topic);
        request.setMsgId(msgId);
        return account.ons.call(request).getData();
    }
}
