package io.openons.resource.group;

import io.openons.contracts.event.ResourceEvent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Group ID of an instance (tcp or http), used by producers and consumers. */
@Entity
@Table(name = "consumer_group")
public class ConsumerGroup extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "instance_id", nullable = false)
    public String instanceId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "group_id", nullable = false)
    public String groupId;

    @Column(name = "group_type", nullable = false)
    public String groupType;

    @Column(name = "read_enable", nullable = false)
    public boolean readEnable;

    public String remark;

    @Column(name = "create_time", nullable = false)
    public Instant createTime;

    @Column(name = "update_time", nullable = false)
    public Instant updateTime;

    public ResourceEvent.GroupRecord toRecord() {
        return new ResourceEvent.GroupRecord(instanceId, groupId, groupType, readEnable, remark,
                createTime.toEpochMilli(), updateTime.toEpochMilli());
    }
}
