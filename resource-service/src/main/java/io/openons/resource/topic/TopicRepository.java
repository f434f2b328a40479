package io.openons.resource.topic;

import io.openons.contracts.error.OnsError;
import io.openons.service.api.TagDo;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Topics of an instance the caller owns (the instance check comes first, in the service). */
@ApplicationScoped
public class TopicRepository implements PanacheRepositoryBase<Topic, Long> {

    /** Ownership, topics and tags in one round trip; the instance row alone (topic columns null) when empty. */
    private static final String LIST_WITH_TAGS = """
            SELECT t.topic_name, t.message_type, t.remark, t.create_time, rt.tag_key, rt.tag_value
            FROM resource.instance i
            LEFT JOIN resource.topic t ON t.instance_id = i.instance_id
                 AND (CAST(? AS varchar) IS NULL OR t.topic_name = CAST(? AS varchar))
            LEFT JOIN resource.resource_tag rt ON rt.account_id = i.account_id AND rt.resource_type = 'TOPIC'
                 AND rt.instance_id = i.instance_id AND rt.resource_id = t.topic_name
            WHERE i.instance_id = ? AND i.account_id = ? AND i.region_id = ?
            ORDER BY t.create_time, t.topic_name, rt.tag_key""";

    private final DataSource dataSource;

    TopicRepository(DataSource dataSource) {
        this.dataSource = dataSource;
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
     * the account has no such instance in the region. Plain JDBC on a pooled connection, no ORM session: this
     * read runs for every console refresh (OnsTopicList).
     */
    public Optional<List<TopicView>> listWithTags(String accountId, String regionId, String instanceId,
            String exactName) {
        boolean instanceFound = false;
        Map<String, TopicView> topicsByName = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(LIST_WITH_TAGS)) {
            query.setString(1, exactName);
            query.setString(2, exactName);
            query.setString(3, instanceId);
            query.setString(4, accountId);
            query.setString(5, regionId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    instanceFound = true;
                    String name = rows.getString(1);
                    if (name == null) {
                        continue;
                    }
                    TopicView view = topicsByName.get(name);
                    if (view == null) {
                        view = new TopicView(name, instanceId, rows.getInt(2), rows.getString(3),
                                rows.getObject(4, OffsetDateTime.class).toInstant(), new ArrayList<>());
                        topicsByName.put(name, view);
                    }
                    String tagKey = rows.getString(5);
                    if (tagKey != null) {
                        view.tags().add(new TagDo(tagKey, rows.getString(6)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing the topics of " + instanceId + " failed", e);
        }
        return instanceFound ? Optional.of(List.copyOf(topicsByName.values())) : Optional.empty();
    }
}
