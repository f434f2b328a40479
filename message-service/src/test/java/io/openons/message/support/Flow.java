package io.openons.message.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openons.contracts.messaging.AckCommand;
import io.openons.contracts.messaging.AckMode;
import io.openons.contracts.messaging.AckResult;
import io.openons.contracts.messaging.ConsumeCommand;
import io.openons.contracts.messaging.ConsumeMode;
import io.openons.contracts.messaging.ConsumeResult;
import io.openons.contracts.messaging.ConsumedMessage;
import io.openons.contracts.messaging.MessagingApi;
import io.openons.contracts.messaging.PublishCommand;
import io.openons.contracts.messaging.PublishReceipt;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Publish / consume / ack through the internal messaging API, for tests. */
public record Flow(String accountId, String instanceId, String topic) {

    public PublishReceipt publish(String body, String tag, Map<String, String> properties) {
        Response r = Api.messaging(accountId, MessagingApi.PUBLISH,
                new PublishCommand(instanceId, topic, body, tag, properties, "127.0.0.1:1234", null));
        assertEquals(200, r.statusCode(), r.asString());
        return r.as(PublishReceipt.class);
    }

    public Response publishRaw(String body, String tag, Map<String, String> properties) {
        return Api.messaging(accountId, MessagingApi.PUBLISH,
                new PublishCommand(instanceId, topic, body, tag, properties, "127.0.0.1:1234", null));
    }

    public Response consumeRaw(String group, int n, int wait, String tags, ConsumeMode mode) {
        return Api.messaging(accountId, MessagingApi.CONSUME,
                new ConsumeCommand(instanceId, topic, group, n, wait, tags, mode, "127.0.0.1:5678", null));
    }

    public List<ConsumedMessage> consume(String group, int n, int wait, String tags, ConsumeMode mode) {
        Response r = consumeRaw(group, n, wait, tags, mode);
        assertEquals(200, r.statusCode(), r.asString());
        return r.as(ConsumeResult.class).messages();
    }

    /** Consumes until {@code expected} messages came or the time is up. */
    public List<ConsumedMessage> consumeAll(String group, int expected, String tags, ConsumeMode mode,
            long timeoutMillis) {
        List<ConsumedMessage> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (all.size() < expected && System.currentTimeMillis() < deadline) {
            all.addAll(consume(group, Math.min(16, expected - all.size()), 2, tags, mode));
        }
        return all;
    }

    public List<AckResult.Failure> ack(String group, List<String> handles, AckMode mode) {
        Response r = Api.messaging(accountId, MessagingApi.ACK,
                new AckCommand(instanceId, topic, group, handles, mode, "127.0.0.1:5678"));
        assertEquals(200, r.statusCode(), r.asString());
        return r.as(AckResult.class).failures();
    }
}
