package io.openons.resource.topic;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Kafka topic whose ONS topic was deleted; removed from Kafka after commit and retried until it is gone. */
@Entity
@Table(name = "kafka_topic_removal")
public class KafkaTopicRemoval extends PanacheEntityBase {

    @Id
    @Column(name = "kafka_topic")
    public String kafkaTopic;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;
}
