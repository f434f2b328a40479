package io.openons.message.index;

import java.util.List;

/** One message as the index stores it. */
public record IndexRow(String msgId, String kafkaTopic, int partition, long offset, String accountId,
        String instanceId, String topic, int messageType, String tag, List<String> keys, String propertiesJson,
        long bornTimestamp, long storeTimestamp, Long deliverAt, String bornHost, String producerGroup, byte[] body,
        int storeSize, int bodyCrc) {

    /** The same message under another id. */
    public IndexRow withMsgId(String id) {
        return new IndexRow(id, kafkaTopic, partition, offset, accountId, instanceId, topic, messageType, tag, keys,
                propertiesJson, bornTimestamp, storeTimestamp, deliverAt, bornHost, producerGroup, body, storeSize,
                bodyCrc);
    }
}
