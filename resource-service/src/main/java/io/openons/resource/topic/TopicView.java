package io.openons.resource.topic;

import io.openons.service.api.TagDo;
import java.time.Instant;
import java.util.List;

/** A topic as OnsTopicList shows it, with its tags. */
public record TopicView(String topicName, String instanceId, int messageType, String remark, Instant createTime,
        List<TagDo> tags) {
}
