package io.openons.gateway.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An AccessKey pair of an account; the secret is stored encrypted ({@link SecretCipher}). */
@Entity
@Table(name = "access_key")
public class AccessKey extends PanacheEntityBase {

    @Id
    @Column(name = "access_key_id")
    public String accessKeyId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "secret_ciphertext", nullable = false)
    public String secretCiphertext;

    @Column(nullable = false)
    public boolean enabled;

    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
