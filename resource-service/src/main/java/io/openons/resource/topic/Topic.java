package io.openons.resource.topic;

import io.openons.contracts.event.ResourceEvent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An ONS topic, backed by its own Kafka topic. */
@Entity
@Table(name = "topic")
public class Topic extends PanacheEntityBase {

    /** Read and write allowed. */
    public static final int PERM_READ_WRITE = 6;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "instance_id", nullable = false)
    public String instanceId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "topic_name", nullable = false)
    public String topicName;

    @Column(name = "message_type", nullable = false)
    public int messageType;

    @Column(nullable = false)
    public int perm;

    public String remark;

    @Column(name = "kafka_topic", nullable = false)
    public String kafkaTopic;

    @Column(nullable = false)
    public int partitions;

    @Column(name = "create_time", nullable = false)
    public Instant createTime;

    @Column(name = "update_time", nullable = false)
    public Instant updateTime;

    public ResourceEvent.TopicRecord toRecord() {
        return new ResourceEvent.TopicRecord(instanceId, topicName, messageType, perm, remark, kafkaTopic,
                partitions, createTime.toEpochMilli(), updateTime.toEpochMilli());
    }
}
