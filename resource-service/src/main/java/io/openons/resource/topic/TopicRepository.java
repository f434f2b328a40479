package io.openons.resource.topic;

import io.openons.contracts.error.OnsError;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Topics of an instance the caller owns (the instance check comes first, in the service). */
@ApplicationScoped
public class TopicRepository implements PanacheRepositoryBase<Topic, Long> {

    public Optional<Topic> findByName(String instanceId, String topicName) {
        return find("instanceId = ?1 and topicName = ?2", instanceId, topicName).firstResultOptional();
    }

    public Topic requireByName(String instanceId, String topicName) {
        return findByName(instanceId, topicName)
                .orElseThrow(() -> OnsError.TOPIC_NOT_FOUND.exception(topicName, instanceId));
    }

    public List<Topic> listOf(String instanceId) {
        return list("instanceId = ?1 order by createTime, topicName", instanceId);
    }
}
