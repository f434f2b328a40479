package io.openons.e2e.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.common.AckMessageException;
import com.aliyun.mq.http.common.ClientException;
import com.aliyun.mq.http.common.ServiceException;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyuncs.ons.model.v20190214.OnsMessageGetByMsgIdRequest;
import com.aliyuncs.ons.model.v20190214.OnsTopicStatusRequest;
import io.openons.e2e.Suite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Nothing lost, nothing duplicated after ack: 4 producers publish 5,000 messages each while 2 consumers of one
 * group consume and ack, and message-service is restarted in the middle. Every published message is acked
 * exactly once (a successful ack per message id), and the index holds all of them.
 */
class ExactlyOnceAcrossRestartE2ETest {

    private static final Logger LOG = Logger.getLogger(ExactlyOnceAcrossRestartE2ETest.class.getName());
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 5_000;
    private static final int TOTAL = PRODUCERS * PER_PRODUCER;

    @Test
    void everyMessageIsAckedExactlyOnceAcrossAMessageServiceRestart() throws Exception {
        Suite.get().requireOwnSuite("it restarts message-service mid-run");
        MessagingAccount account = MessagingAccount.create("exactly-once");
        String instance = account.instance();
        String topic = account.topic(instance, 0);
        String group = account.group(instance);
        // Deliveries lost with the restarted process come back after 10 s instead of 5 minutes.
        account.groupInvisibility(instance, group, 10_000);

        Set<String> published = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> acks = new ConcurrentHashMap<>();
        Set<String> ambiguous = ConcurrentHashMap.newKeySet();
        AtomicLong deliveries = new AtomicLong();
        AtomicLong publishRetries = new AtomicLong();
        AtomicLong consumeErrors = new AtomicLong();
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + 2);
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producerNo = p;
            producers.add(pool.submit(() -> {
                MQProducer producer = account.mq.getProducer(instance, topic);
                for (int i = 0; i < PER_PRODUCER; i++) {
                    TopicMessage m = new TopicMessage(("p" + producerNo + "-" + i).getBytes(StandardCharsets.UTF_8));
                    while (true) {
                        try {
                            published.add(producer.publishMessage(m).getMessageId());
                            break;
                        } catch (ServiceException | ClientException e) {
                            // message-service is restarting: the publish was not stored (graceful shutdown
                            // finishes in-flight publishes), so sending it again is safe.
                            publishRetries.incrementAndGet();
                            sleep(200);
                        }
                    }
                }
                return null;
            }));
        }
        List<Future<?>> consumers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            consumers.add(pool.submit(() -> {
                MQConsumer consumer = account.mq.getConsumer(instance, topic, group, null);
                long giveUpAt = Long.MAX_VALUE;
                while (System.currentTimeMillis() < giveUpAt) {
                    if (!producing.get() && giveUpAt == Long.MAX_VALUE) {
                        // Everything is published: consume until all is acked, for at most two minutes more.
                        giveUpAt = System.currentTimeMillis() + 120_000;
                    }
                    List<Message> got;
                    try {
                        got = consumer.consumeMessage(16, 3);
                    } catch (ServiceException | ClientException e) {
                        consumeErrors.incrementAndGet();
                        sleep(200);
                        continue;
                    }
                    if (got == null || got.isEmpty()) {
                        if (!producing.get() && allAcked(published, acks)) {
                            return null;
                        }
                        continue;
                    }
                    deliveries.addAndGet(got.size());
                    ack(consumer, got, acks, ambiguous);
                }
                return null;
            }));
        }

        // Restart message-service once a quarter of the messages were published.
        long deadline = System.currentTimeMillis() + 120_000;
        while (published.size() < TOTAL / 4 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        long restartAt = System.currentTimeMillis();
        account.suite.restart("message-service");
        LOG.info(() -> String.format("message-service restarted in %d ms at %d published, %d acked",
                System.currentTimeMillis() - restartAt, published.size(), acks.size()));

        for (Future<?> f : producers) {
            f.get(300, TimeUnit.SECONDS);
        }
        producing.set(false);
        for (Future<?> f : consumers) {
            f.get(300, TimeUnit.SECONDS);
        }
        pool.shutdown();
        LOG.info(() -> String.format("published %d (%d publish retries), %d deliveries, %d acked ids, %d consume "
                + "errors", published.size(), publishRetries.get(), deliveries.get(), acks.size(), consumeErrors.get()));

        assertEquals(TOTAL, published.size(), "every publish answered with a distinct id");
        Set<String> missing = new HashSet<>(published);
        missing.removeAll(acks.keySet());
        Set<String> unconfirmed = new HashSet<>(missing);
        unconfirmed.retainAll(ambiguous);
        missing.removeAll(ambiguous);
        LOG.info(() -> String.format("%d message(s) acked by a request whose answer was lost (never delivered again)",
                unconfirmed.size()));
        assertEquals(Set.of(), missing, "every published message consumed and acked");
        assertTrue(unconfirmed.size() <= 16, "acks with a lost answer stay rare: " + unconfirmed.size());
        List<String> twice = acks.entrySet().stream().filter(e -> e.getValue().get() != 1).map(Map.Entry::getKey)
                .toList();
        assertEquals(List.of(), twice, "no message acked twice");

        OnsTopicStatusRequest status = new OnsTopicStatusRequest();
        status.setInstanceId(instance);
        status.setTopic(topic);
        long total = account.ons.call(status).getData().getTotalCount();
        assertEquals(acks.size() + unconfirmed.size(), total, "the index holds every message stored, once");
        assertTrue(total >= TOTAL);
        // A sample of ids, looked up one by one with the ONS SDK.
        List<String> sample = new ArrayList<>(published).subList(0, 200);
        for (String id : sample) {
            OnsMessageGetByMsgIdRequest byId = new OnsMessageGetByMsgIdRequest();
            byId.setInstanceId(instance);
            byId.setTopic(topic);
            byId.setMsgId(id);
            assertEquals(id, account.ons.call(byId).getData().getMsgId());
        }
        account.close();
    }

    private static void ack(MQConsumer consumer, List<Message> got, Map<String, AtomicInteger> acks,
            Set<String> ambiguous) {
        List<String> handles = got.stream().map(Message::getReceiptHandle).toList();
        Set<String> failed = new HashSet<>();
        boolean transportError = false;
        for (int attempt = 0; ; attempt++) {
            try {
                consumer.ackMessage(handles);
                break;
            } catch (AckMessageException e) {
                // Handles that expired (redelivered meanwhile) are not acked: their message comes again.
                failed.addAll(e.getErrorMessages().keySet());
                break;
            } catch (ServiceException | ClientException e) {
                // message-service restarting: try again.
                transportError = true;
                if (attempt > 100) {
                    throw e;
                }
                sleep(200);
            }
        }
        for (Message m : got) {
            if (!failed.contains(m.getReceiptHandle())) {
                acks.computeIfAbsent(m.getMessageId(), k -> new AtomicInteger()).incrementAndGet();
            } else if (transportError) {
                // The first attempt may have acked it before its answer was lost; if it did not, the message
                // comes again and is acked then.
                ambiguous.add(m.getMessageId());
            }
        }
    }

    private static boolean allAcked(Set<String> published, Map<String, AtomicInteger> acks) {
        return published.size() >= TOTAL && acks.keySet().containsAll(published);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
