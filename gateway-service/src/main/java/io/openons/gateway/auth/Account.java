package io.openons.gateway.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An account (tenant), identified by a numeric id like Alibaba Cloud account ids; it owns resources and keys. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public String accountId;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
