package io.openons.e2e.messaging;

import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.common.ServiceException;
import com.aliyun.mq.http.model.Message;
import com.aliyuncs.ons.model.v20190214.OnsGroupConsumerUpdateRequest;
import com.aliyuncs.ons.model.v20190214.OnsTopicUpdateRequest;
import io.openons.e2e.Accounts;
import io.openons.e2e.Fixtures;
import io.openons.e2e.Names;
import io.openons.e2e.OnsApi;
import io.openons.e2e.Suite;
import io.openons.e2e.consumers.ConsumerSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * A new account of the suite, seen as a user sees it: its key, the official ONS SDK for resources and queries,
 * and the official MQ HTTP SDK ({@code MQClient}) configured with nothing but the endpoint and the key.
 */
public final class MessagingAccount implements AutoCloseable {

    public final Suite suite;
    public final Accounts.Key key;
    public final OnsApi ons;
    public final MQClient mq;

    private MessagingAccount(Suite suite, Accounts.Key key) {
        this.suite = suite;
        this.key = key;
        this.ons = OnsApi.of(suite, key.accessKeyId(), key.accessKeySecret());
        this.mq = new MQClient(suite.endpoint(), key.accessKeyId(), key.accessKeySecret());
    }

    public static MessagingAccount create(String name) throws Exception {
        Suite suite = Suite.get();
        return new MessagingAccount(suite, Accounts.create(suite, name));
    }

    public String instance() throws Exception {
        return Fixtures.instance(ons);
    }

    /** A new topic of that message type (0 normal, 1 partition order, 2 global order, 4 transactional, 5 delayed). */
    public String topic(String instanceId, int messageType) throws Exception {
        String topic = Names.unique("t" + messageType);
        Fixtures.topic(ons, instanceId, topic, messageType);
        return topic;
    }

    /** A new HTTP Group ID. */
    public String group(String instanceId) throws Exception {
        String group = Names.groupId("http");
        Fixtures.group(ons, instanceId, group, "http");
        return group;
    }

    public void topicPerm(String instanceId, String topic, int perm) throws Exception {
        OnsTopicUpdateRequest update = new OnsTopicUpdateRequest();
        update.setInstanceId(instanceId);
        update.setTopic(topic);
        update.setPerm(perm);
        ons.call(update);
    }

    public void readEnable(String instanceId, String group, boolean enable) throws Exception {
        OnsGroupConsumerUpdateRequest update = new OnsGroupConsumerUpdateRequest();
        update.setInstanceId(instanceId);
        update.setGroupId(group);
        update.setReadEnable(enable);
        ons.call(update);
    }

    /**
     * Sets a group's retry interval (the invisibility of an unacknowledged delivery) as an operator does, with
     * {@code ons-admin.sh group-settings} ({@link ConsumerSettings}): the defaults, 5 minutes and 1 minute, are too
     * long for tests.
     */
    public void groupInvisibility(String instanceId, String group, long millis) throws Exception {
        ConsumerSettings.set(suite, key.accountId(), instanceId, group, millis, null);
    }

    /** Consumes until {@code expected} messages came or the time is up (long polls of 3 s). */
    public static List<Message> consume(MQConsumer consumer, int expected, long timeoutMillis) {
        List<Message> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (all.size() < expected && System.currentTimeMillis() < deadline) {
            List<Message> got = consumer.consumeMessage(Math.min(16, expected - all.size()), 3);
            if (got != null) {
                all.addAll(got);
            }
        }
        return all;
    }

    /** One consume call; an empty list when nothing came (the protocol answers MessageNotExist). */
    public static List<Message> poll(MQConsumer consumer, int n, int waitSeconds) {
        try {
            List<Message> got = consumer.consumeMessage(n, waitSeconds);
            return got == null ? List.of() : got;
        } catch (ServiceException e) {
            if ("MessageNotExist".equals(e.getErrorCode())) {
                return List.of();
            }
            throw e;
        }
    }

    public static List<String> handles(List<Message> messages) {
        return messages.stream().map(Message::getReceiptHandle).toList();
    }

    @Override
    public void close() {
        mq.close();
    }
}
