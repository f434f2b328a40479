package io.openons.resource.activation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The record of an account's OpenOnsService call; repeated calls answer the same order id. */
@Entity
@Table(name = "service_activation")
public class ServiceActivation extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public String accountId;

    @Column(name = "order_id", nullable = false)
    public String orderId;

    @Column(name = "activated_at", nullable = false)
    public Instant activatedAt;
}
