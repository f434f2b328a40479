package io.openons.resource.instance;

import io.openons.contracts.event.ResourceEvent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An ONS instance: the namespace of topics and Group IDs, owned by one account in one region. */
@Entity
@Table(name = "instance")
public class Instance extends PanacheEntityBase {

    /** Post-paid standard instance, the only type this installation creates. */
    public static final int TYPE_STANDARD = 1;
    /** "In service", as the real service reports running instances. */
    public static final int STATUS_RUNNING = 5;

    @Id
    @Column(name = "instance_id")
    public String instanceId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "region_id", nullable = false)
    public String regionId;

    @Column(name = "instance_name", nullable = false)
    public String instanceName;

    public String remark;

    @Column(name = "instance_type", nullable = false)
    public int instanceType;

    @Column(name = "instance_status", nullable = false)
    public int instanceStatus;

    @Column(name = "create_time", nullable = false)
    public Instant createTime;

    @Column(name = "update_time", nullable = false)
    public Instant updateTime;

    public ResourceEvent.InstanceRecord toRecord() {
        return new ResourceEvent.InstanceRecord(instanceId, regionId, instanceName, remark, instanceType,
                instanceStatus, createTime.toEpochMilli(), updateTime.toEpochMilli());
    }
}
