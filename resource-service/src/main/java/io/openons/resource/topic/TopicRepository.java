package io.openons.resource.topic;

import io.openons.contracts.error.OnsError;
import io.openons.service.api.TagDo;
import io.openons.service.db.ReadPool;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Topics of an instance the caller owns (the instance check comes first, in the service). */
@ApplicationScoped
public class TopicRepository implements PanacheRepositoryBase<Topic, Long> {

    /** Ownership, topics and tags in one round trip; the instance row alone (topic columns null) when empty. */
    private static final String LIST_WITH_TAGS = """
            SELECT t.topic_name, t.message_type, t.remark, t.create_time, rt.tag_key, rt.tag_value
            FROM resource.instance i
            LEFT JOIN resource.topic t ON t.instance_id = i.instance_id
                 AND ($1::varchar IS NULL OR t.topic_name = $1::varchar)
            LEFT JOIN resource.resource_tag rt ON rt.account_id = i.account_id AND rt.resource_type = 'TOPIC'
                 AND rt.instance_id = i.instance_id AND rt.resource_id = t.topic_name
            WHERE i.instance_id = $2 AND i.account_id = $3 AND i.region_id = $4
            ORDER BY t.create_time, t.topic_name, rt.tag_key""";

    private final ReadPool reads;

    TopicRepository(ReadPool reads) {
        this.reads = reads;
    }

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

    /**
     * The topics of an instance with their tags (only the one named {@code exactName} when given), or empty when
     * the account has no such instance in the region. Read without blocking a thread and without an ORM session:
     * this is the read of every console refresh (OnsTopicList).
     */
    public Uni<Optional<List<TopicView>>> listWithTags(String accountId, String regionId, String instanceId,
            String exactName) {
        return Uni.createFrom().completionStage(() -> reads.pool().preparedQuery(LIST_WITH_TAGS)
                .execute(Tuple.of(exactName, instanceId, accountId, regionId)).toCompletionStage())
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<List<TopicView>>empty();
                    }
                    Map<String, TopicView> topicsByName = new LinkedHashMap<>();
                    for (Row row : rows) {
                        String name = row.getString(0);
                        if (name == null) {
                            continue;
                        }
                        TopicView view = topicsByName.get(name);
                        if (view == null) {
                            view = new TopicView(name, instanceId, row.getInteger(1), row.getString(2),
                                    row.getOffsetDateTime(3).toInstant(), new ArrayList<>());
                            topicsByName.put(name, view);
                        }
                        String tagKey = row.getString(4);
                        if (tagKey != null) {
                            view.tags().add(new TagDo(tagKey, row.getString(5)));
                        }
                    }
                    return Optional.of(List.copyOf(topicsByName.values()));
                });
    }
}
