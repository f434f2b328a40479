package io.openons.resource.tag;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One tag bound to one resource. For an instance, {@code instanceId} and {@code resourceId} are equal. */
@Entity
@Table(name = "resource_tag")
public class ResourceTag extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Enumerated(EnumType.STRING)
    @Column(name = "resource_type", nullable = false)
    public ResourceType resourceType;

    @Column(name = "instance_id", nullable = false)
    public String instanceId;

    @Column(name = "resource_id", nullable = false)
    public String resourceId;

    @Column(name = "tag_key", nullable = false)
    public String tagKey;

    @Column(name = "tag_value", nullable = false)
    public String tagValue;
}
