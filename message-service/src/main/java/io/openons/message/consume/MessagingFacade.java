package io.openons.message.consume;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.event.ResourceEvent;
import io.openons.contracts.messaging.AckCommand;
import io.openons.contracts.messaging.AckMode;
import io.openons.contracts.messaging.AckResult;
import io.openons.contracts.messaging.ConsumeCommand;
import io.openons.contracts.messaging.ConsumeMode;
import io.openons.contracts.messaging.ConsumeResult;
import io.openons.contracts.messaging.ConsumedMessage;
import io.openons.contracts.messaging.MessagingApi;
import io.openons.message.access.MessagingAccess;
import io.openons.message.config.MessageConfig;
import io.openons.message.consumer.ConsumerRegistry;
import io.openons.message.model.TagExpression;
import io.openons.message.transaction.HalfMessageService;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Consume and ack as the protocol defines them: validates the request, resolves and authorises its topic and
 * group, then takes messages, long polling when there are none: the poll waits (holding no thread) until the
 * {@link ArrivalBus} announces new messages in the topic or the recheck interval passes, looks again, and
 * answers as soon as it has something or the wait is over.
 */
@ApplicationScoped
public class MessagingFacade {

    private final MessagingAccess access;
    private final ConsumeService consume;
    private final HalfMessageService halfMessages;
    private final GroupSettings settings;
    private final ArrivalBus arrivals;
    private final ConsumerRegistry registry;
    private final long recheckMillis;

    MessagingFacade(MessagingAccess access, ConsumeService consume, HalfMessageService halfMessages,
            GroupSettings settings, ArrivalBus arrivals, ConsumerRegistry registry, MessageConfig config) {
        this.registry = registry;
        this.access = access;
        this.consume = consume;
        this.halfMessages = halfMessages;
        this.settings = settings;
        this.arrivals = arrivals;
        this.recheckMillis = config.consumeRecheckInterval().toMillis();
    }

    /** A prepared consume: what to take, and how to take it again while waiting. */
    private record Prepared(ConsumeService.Take take, MessagingAccess.TopicAccess topic, String groupId) {
    }

    public Uni<ConsumeResult> consume(String accountId, ConsumeCommand command) {
        if (command.numOfMessages() < 1 || command.numOfMessages() > MessagingApi.MAX_MESSAGES_PER_CONSUME) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("numOfMessages is " + command.numOfMessages()
                    + "; it must be 1 to " + MessagingApi.MAX_MESSAGES_PER_CONSUME + ".");
        }
        if (command.waitSeconds() < 0 || command.waitSeconds() > MessagingApi.MAX_WAIT_SECONDS) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("waitseconds is " + command.waitSeconds()
                    + "; it must be 1 to " + MessagingApi.MAX_WAIT_SECONDS + " (or absent for no wait).");
        }
        TagExpression tags;
        try {
            tags = TagExpression.parse(command.tagExpression());
        } catch (IllegalArgumentException e) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("The tag parameter is invalid: " + e.getMessage() + ".");
        }
        ConsumeMode mode = command.mode() == null ? ConsumeMode.NORMAL : command.mode();
        long deadline = System.currentTimeMillis() + command.waitSeconds() * 1000L;
        return Uni.createFrom().item(() -> prepare(accountId, command, tags, mode))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(prepared -> poll(prepared, deadline))
                .map(ConsumeResult::new);
    }

    private Prepared prepare(String accountId, ConsumeCommand command, TagExpression tags, ConsumeMode mode) {
        MessagingAccess.TopicAccess topic = access.consumable(accountId, command.instanceId(), command.topic());
        ResourceEvent.GroupRecord group = access.httpGroup(topic, command.groupId(), mode != ConsumeMode.HALF);
        GroupSettings.Settings s = settings.of(topic.instanceId(), group.groupId());
        long invisible = mode == ConsumeMode.ORDERLY ? s.orderInvisibleTimeMillis() : s.invisibleTimeMillis();
        String clientId = ConsumerRegistry.clientId(command.clientId(), command.clientHost(), command.userAgent());
        if (mode != ConsumeMode.HALF) {
            // A transactional producer checking half messages is not a consumer of the group.
            registry.seen(new ConsumerRegistry.Poll(topic.instanceId(), group.groupId(), clientId,
                    command.clientHost(), command.userAgent(), topic.topic().topic(), topic.kafkaTopic(),
                    subString(command.tagExpression()), command.waitSeconds() * 1000L));
        }
        return new Prepared(new ConsumeService.Take(topic, group, command.numOfMessages(), tags, mode, invisible,
                command.clientHost(), clientId, s.maxReconsumeTimes()), topic, group.groupId());
    }

    /** The subscription expression as OnsConsumerStatus shows it: {@code *} for all tags. */
    static String subString(String tagExpression) {
        return tagExpression == null || tagExpression.isBlank() ? "*" : tagExpression.trim();
    }

    private Uni<List<ConsumedMessage>> poll(Prepared p, long deadline) {
        String kafkaTopic = p.topic().kafkaTopic();
        long seen = arrivals.version(kafkaTopic);
        return Uni.createFrom().item(() -> takeOnce(p))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(taken -> {
                    long left = deadline - System.currentTimeMillis();
                    if (!taken.isEmpty() || left <= 0 || arrivals.stopping()) {
                        return Uni.createFrom().item(taken);
                    }
                    long wait = Math.min(left, recheckMillis);
                    if (p.take().mode() != ConsumeMode.HALF) {
                        // Wake when the next redelivery comes due, not up to a recheck interval later.
                        Long due = consume.nextDueAt(p.take());
                        if (due != null) {
                            wait = Math.max(1, Math.min(wait, due - System.currentTimeMillis()));
                        }
                    }
                    return arrivals.await(kafkaTopic, seen, wait)
                            .flatMap(woken -> poll(p, deadline));
                });
    }

    private List<ConsumedMessage> takeOnce(Prepared p) {
        if (p.take().mode() == ConsumeMode.HALF) {
            return halfMessages.takeDue(p.topic(), p.groupId(), p.take().max());
        }
        return consume.take(p.take());
    }

    /** Ack, commit or rollback, by receipt handle. */
    public AckResult ack(String accountId, AckCommand command) {
        List<String> handles = command.receiptHandles();
        if (handles == null || handles.isEmpty()) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("No receipt handle given; send at least one ReceiptHandle.");
        }
        if (handles.size() > 16 && command.mode() != AckMode.ACK) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("Commit and rollback take one receipt handle.");
        }
        if (handles.size() > 64) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception(handles.size() + " receipt handles given; at most 64 "
                    + "are acknowledged per request.");
        }
        AckMode mode = command.mode() == null ? AckMode.ACK : command.mode();
        MessagingAccess.TopicAccess topic = access.topic(accountId, command.instanceId(), command.topic());
        ResourceEvent.GroupRecord group = access.httpGroup(topic, command.groupId(), mode == AckMode.ACK);
        return new AckResult(switch (mode) {
            case ACK -> consume.ack(topic, group, handles, command.clientHost());
            case COMMIT -> halfMessages.resolve(topic, group.groupId(), handles, true);
            case ROLLBACK -> halfMessages.resolve(topic, group.groupId(), handles, false);
        });
    }
}
