package io.openons.message.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.MessageLifecycleEventType;
import io.openons.contracts.messaging.PublishCommand;
import io.openons.contracts.messaging.PublishReceipt;
import io.openons.message.access.MessagingAccess;
import io.openons.message.kafka.MessageHeaders;
import io.openons.message.lifecycle.EventBuilder;
import io.openons.message.lifecycle.LifecycleEvents;
import io.openons.message.model.Digests;
import io.openons.message.model.MessageIds;
import io.openons.message.model.MessageProperties;
import io.openons.message.transaction.HalfMessageService;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Publishes messages into the Kafka topic of their ONS topic. The answer completes only when Kafka
 * acknowledged the record (acks=all), never before; the caller's thread is not held while Kafka works.
 * Transactional half messages go to the {@link HalfMessageService} instead (kept out of the topic log until
 * committed).
 */
@ApplicationScoped
public class PublishService {

    private static final Logger LOG = Logger.getLogger(PublishService.class);

    private final Producer<String, byte[]> producer;
    private final MessagingAccess access;
    private final HalfMessageService halfMessages;
    private final LifecycleEvents events;
    private final Counter published;
    private final Counter failed;
    private final Timer latency;
    private final Map<String, List<PartitionInfo>> partitionLeaders = new ConcurrentHashMap<>();

    PublishService(@Named("messages") Producer<String, byte[]> producer, MessagingAccess access,
            HalfMessageService halfMessages, LifecycleEvents events, MeterRegistry registry) {
        this.producer = producer;
        this.access = access;
        this.halfMessages = halfMessages;
        this.events = events;
        this.published = registry.counter("ons_message_published", "outcome", "success");
        this.failed = registry.counter("ons_message_published", "outcome", "failure");
        this.latency = Timer.builder("ons_message_publish_duration").publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /**
     * Publishes on the caller's thread when nothing on the way can block (the topic was resolved before, Kafka's
     * metadata of it is known, it is not a half message), else on a worker thread. Either way the caller only
     * gets a stage that completes when Kafka acknowledged the message.
     */
    public CompletionStage<PublishReceipt> publish(String accountId, PublishCommand command) {
        MessagingAccess.TopicAccess cached = access.cachedPublishable(accountId, command.instanceId(),
                command.topic());
        boolean transactional = command.properties() != null
                && command.properties().containsKey(MessageProperties.TRANS_CHECK_IMMUNITY);
        if (cached != null && !transactional && partitionLeaders.containsKey(cached.kafkaTopic())) {
            return publish(accountId, command, cached);
        }
        CompletableFuture<PublishReceipt> answer = new CompletableFuture<>();
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                publish(accountId, command, access.publishable(accountId, command.instanceId(), command.topic()))
                        .whenComplete((receipt, error) -> {
                            if (error != null) {
                                answer.completeExceptionally(error instanceof java.util.concurrent.CompletionException
                                        && error.getCause() != null ? error.getCause() : error);
                            } else {
                                answer.complete(receipt);
                            }
                        });
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private CompletionStage<PublishReceipt> publish(String accountId, PublishCommand command,
            MessagingAccess.TopicAccess topic) {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        int messageType = topic.topic().messageType();
        MessageRules.Checked message = MessageRules.check(messageType, command.topic(), command.body(),
                command.tag(), command.properties(), now);
        if (message.checkImmunitySeconds() != null) {
            return CompletableFuture.completedFuture(halfMessages.store(topic, message, command.bornHost(),
                    command.producerGroup(), now));
        }
        String msgId = MessageIds.next();
        List<Header> headers = MessageHeaders.of(msgId, message.tag(), message.properties(), command.bornHost(), now,
                command.producerGroup());
        // The sharding key is the record key: Kafka's partitioner sends equal keys to one partition, in order.
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.kafkaTopic(), null, null,
                message.shardingKey(), message.body(), headers);
        String bodyMd5 = Digests.md5Hex(message.body());
        CompletableFuture<PublishReceipt> answer = new CompletableFuture<>();
        try {
            List<PartitionInfo> leaders = partitionInfos(topic.kafkaTopic());
            producer.send(record, (metadata, error) -> {
                latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                if (error != null) {
                    failed.increment();
                    LOG.warnf("Publish of %s to %s failed: %s", msgId, topic.kafkaTopic(), error.getMessage());
                    events.emit(EventBuilder.of(MessageLifecycleEventType.PUBLISH_FAILED, msgId)
                            .topic(accountId, topic.instanceId(), command.topic(), messageType)
                            .message(message.tag(), message.properties().get(MessageProperties.KEYS),
                                    message.body().length)
                            .producer(command.bornHost(), command.producerGroup(), now)
                            .cost((System.nanoTime() - started) / 1_000_000).reason(error.getMessage()).build());
                    answer.completeExceptionally(OnsError.MQ_SERVICE_UNAVAILABLE.exception(
                            "Kafka did not store the message: " + error.getMessage()));
                    return;
                }
                published.increment();
                answer.complete(new PublishReceipt(msgId, bodyMd5, null, topic.instanceId(), metadata.partition(),
                        metadata.offset(), brokerName(leaders, metadata.partition()),
                        metadata.timestamp()));
            });
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warnf("Publish of %s to %s failed: %s", msgId, topic.kafkaTopic(), e.getMessage());
            answer.completeExceptionally(OnsError.MQ_SERVICE_UNAVAILABLE.exception(
                    "Kafka did not accept the message: " + e.getMessage()));
        }
        return answer;
    }

    /** The partitions of a Kafka topic with their leaders, from the producer's metadata (cached here). */
    private List<PartitionInfo> partitionInfos(String kafkaTopic) {
        List<PartitionInfo> infos = partitionLeaders.get(kafkaTopic);
        if (infos == null) {
            infos = producer.partitionsFor(kafkaTopic);
            partitionLeaders.put(kafkaTopic, infos);
        }
        return infos;
    }

    /** The broker leading a partition ("broker-{id}"). */
    static String brokerName(List<PartitionInfo> infos, int partition) {
        for (PartitionInfo info : infos) {
            if (info.partition() == partition && info.leader() != null) {
                return "broker-" + info.leader().id();
            }
        }
        return "broker";
    }
}
