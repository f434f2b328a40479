package io.openons.gateway.auth;

import io.openons.gateway.config.GatewayConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Makes sure the installation can be used on first start: the bootstrap account and key from configuration
 * are created when missing; without configuration, when no account exists yet, one is generated and its key
 * printed once.
 */
@ApplicationScoped
public class BootstrapAccount {

    private static final Logger LOG = Logger.getLogger(BootstrapAccount.class);

    void onStart(@Observes StartupEvent start, AccessKeyStore store, GatewayConfig config) {
        GatewayConfig.Bootstrap bootstrap = config.bootstrap();
        // Advisory lock: several replicas starting together create the bootstrap account once.
        QuarkusTransaction.requiringNew().run(() -> {
            Account.getEntityManager().createNativeQuery(
                    "SELECT 1 FROM (SELECT pg_advisory_xact_lock(8301)) AS bootstrap").getSingleResult();
            if (bootstrap.accessKeyId().isPresent() && bootstrap.accessKeySecret().isPresent()) {
                String keyId = bootstrap.accessKeyId().get();
                if (AccessKey.findById(keyId) != null) {
                    return;
                }
                String accountId = bootstrap.accountId().orElse(null);
                Account account = accountId == null ? null : Account.findById(accountId);
                if (account == null) {
                    account = store.createAccount(accountId, "bootstrap");
                }
                store.createKey(account.accountId, keyId, bootstrap.accessKeySecret().get(), "bootstrap key");
                LOG.infof("Created the bootstrap account %s with access key %s (from configuration)",
                        account.accountId, keyId);
            } else if (store.accountCount() == 0) {
                Account account = store.createAccount(bootstrap.accountId().orElse(null), "bootstrap");
                AccessKeyStore.NewKey key = store.createKey(account.accountId, null, null, "bootstrap key");
                LOG.warnf("%n==================== OpenONS bootstrap key (shown once) ====================%n"
                        + "ONS_ACCOUNT_ID=%s%nONS_ACCESS_KEY_ID=%s%nONS_ACCESS_KEY_SECRET=%s%n"
                        + "=============================================================================",
                        key.accountId(), key.accessKeyId(), key.accessKeySecret());
            }
        });
    }
}
