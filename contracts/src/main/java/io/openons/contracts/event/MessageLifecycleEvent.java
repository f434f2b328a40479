package io.openons.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One event in the life of one message, published by message-service on
 * {@link EventTopics#MESSAGE_LIFECYCLE} keyed by {@code msgId} (all events of a message in one partition, in
 * order). Delivery is at least once: consumers are idempotent by {@code eventId}.
 *
 * <p>Fields not relevant to a type are null (and left out of the JSON).
 *
 * @param schemaVersion   {@link #SCHEMA_VERSION}; consumers skip versions they do not understand
 * @param eventId         unique id of this event (UUID)
 * @param type            what happened
 * @param occurredAt      epoch milliseconds when it happened on the server
 * @param accountId       the owning account
 * @param instanceId      the instance of the topic
 * @param topic           the ONS topic name
 * @param msgId           the message id (32 upper-case hex characters)
 * @param messageType     the topic's message type (0 normal, 1 partition order, 2 global order, 4 transactional,
 *                        5 scheduled/delayed)
 * @param tag             the message tag, if any
 * @param keys            the message keys (space-separated), if any
 * @param bornHost        the producing client's address ({@code ip:port}) for publish events
 * @param producerGroup   the producer's Group ID when the protocol carries it (trace PubGroupName)
 * @param bornTimestamp   when the producer created the message (ms)
 * @param storeTimestamp  when Kafka stored it (ms)
 * @param deliverAt       for scheduled/delayed messages, when they become deliverable (ms)
 * @param partition       the Kafka partition (queue id)
 * @param offset          the Kafka offset
 * @param bodySize        body size in bytes
 * @param costMillis      for publish events the time the publish took; for ACKED / CONSUME_FAILED the time from
 *                        delivery to the outcome (trace CostTime)
 * @param groupId         for consume events, the consuming Group ID
 * @param clientId        for consume events, the consuming client's id
 * @param clientHost      for consume events, the consuming client's address
 * @param reconsumeTimes  for consume events, the delivery attempt's reconsume count (0 on the first delivery)
 * @param deliveredAt     for ACKED / CONSUME_FAILED, when that delivery attempt started (trace SubTime)
 * @param reason          a human-readable detail (failure cause, dead-letter reason)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessageLifecycleEvent(
        int schemaVersion,
        String eventId,
        MessageLifecycleEventType type,
        long occurredAt,
        String accountId,
        String instanceId,
        String topic,
        String msgId,
        Integer messageType,
        String tag,
        String keys,
        String bornHost,
        String producerGroup,
        Long bornTimestamp,
        Long storeTimestamp,
        Long deliverAt,
        Integer partition,
        Long offset,
        Integer bodySize,
        Long costMillis,
        String groupId,
        String clientId,
        String clientHost,
        Integer reconsumeTimes,
        Long deliveredAt,
        String reason) {

    public static final int SCHEMA_VERSION = 1;
}
