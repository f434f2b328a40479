package io.openons.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's secrets: from existing Secrets when named, else generated once and read back with lookup on
 * later renders (upgrades), and kept on uninstall. The database password comes from a Secret in every case.
 */
class SecretsTest {

    private static Map<String, SecretKeySelector> secretRefs(Rendered rendered, String module) {
        return rendered.ofComponent(Deployment.class, module).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef()));
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)));
    }

    @AfterEach
    void forgetClusterState() {
        FakeKubernetesApi.get().clear();
    }

    @Test
    void generatesTheGatewaySecretsWhenNoneIsGiven() {
        Rendered rendered = Configuration.DEFAULTS.rendered();
        Secret generated = rendered.named(Secret.class, "openons-gateway-service");

        assertEquals("keep", generated.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        assertEquals(32, Base64.getDecoder().decode(decoded(generated, "key-encryption-key")).length,
                "ONS_KEY_ENCRYPTION_KEY is base64 of 32 bytes");
        assertTrue(decoded(generated, "access-key-id").matches("LTAI[A-Za-z0-9]{20}"));
        assertTrue(decoded(generated, "access-key-secret").matches("[A-Za-z0-9]{30}"));
        assertTrue(decoded(generated, "account-id").matches("1[0-9]{15}"));
        assertTrue(decoded(generated, "admin-token").length() >= 32);

        Map<String, SecretKeySelector> refs = secretRefs(rendered, "gateway-service");
        assertEquals(Set.of("DB_PASSWORD", "ONS_KEY_ENCRYPTION_KEY", "ONS_BOOTSTRAP_ACCESS_KEY_ID",
                "ONS_BOOTSTRAP_ACCESS_KEY_SECRET", "ONS_BOOTSTRAP_ACCOUNT_ID", "ONS_ADMIN_TOKEN"), refs.keySet());
        refs.forEach((variable, ref) -> {
            Secret secret = rendered.named(Secret.class, ref.getName());
            assertTrue(secret.getData().containsKey(ref.getKey()), variable + " -> " + ref.getName() + "/" + ref.getKey());
        });
    }

    @Test
    void anUpgradeKeepsTheGeneratedSecrets() {
        Secret first = Chart.render("upgrade", Map.of(), Chart.REQUIRED_VALUES)
                .named(Secret.class, "upgrade-openons-gateway-service");
        FakeKubernetesApi.get().putSecret(first);

        Secret upgraded = Chart.render("upgrade", Map.of(), Chart.REQUIRED_VALUES)
                .named(Secret.class, "upgrade-openons-gateway-service");

        assertEquals(first.getData(), upgraded.getData());
    }

    @Test
    void withoutAnExistingSecretEachFreshInstallGetsNewKeys() {
        Function<Rendered, String> key = r -> r.named(Secret.class, "fresh-openons-gateway-service")
                .getData().get("key-encryption-key");

        assertNotEquals(key.apply(Chart.render("fresh", Map.of(), Chart.REQUIRED_VALUES)),
                key.apply(Chart.render("fresh", Map.of(), Chart.REQUIRED_VALUES)));
    }

    @Test
    void anUpgradeAddsOnlyTheMissingKeys() {
        Secret first = Chart.render("partial", Map.of("gateway.adminToken.enabled", false), Chart.REQUIRED_VALUES)
                .named(Secret.class, "partial-openons-gateway-service");
        FakeKubernetesApi.get().putSecret(first);

        Secret upgraded = Chart.render("partial", Map.of(), Chart.REQUIRED_VALUES)
                .named(Secret.class, "partial-openons-gateway-service");

        assertFalse(first.getData().containsKey("admin-token"));
        assertTrue(upgraded.getData().containsKey("admin-token"));
        assertEquals(first.getData().get("key-encryption-key"), upgraded.getData().get("key-encryption-key"));
        assertEquals(first.getData().get("access-key-secret"), upgraded.getData().get("access-key-secret"));
    }

    @Test
    void existingSecretsAreUsedByNameAndNothingIsGenerated() {
        Rendered rendered = Configuration.PRODUCTION.rendered();
        Map<String, SecretKeySelector> refs = secretRefs(rendered, "gateway-service");

        assertTrue(rendered.all(Secret.class).isEmpty());
        assertEquals("openons-gateway-keys", refs.get("ONS_KEY_ENCRYPTION_KEY").getName());
        assertEquals("key-encryption-key", refs.get("ONS_KEY_ENCRYPTION_KEY").getKey());
        assertEquals("openons-gateway-keys", refs.get("ONS_BOOTSTRAP_ACCESS_KEY_ID").getName());
        assertEquals("openons-gateway-keys", refs.get("ONS_BOOTSTRAP_ACCESS_KEY_SECRET").getName());
        assertEquals(Boolean.TRUE, refs.get("ONS_BOOTSTRAP_ACCOUNT_ID").getOptional(),
                "an existing Secret without account id lets the gateway generate one");
        assertEquals("openons-admin", refs.get("ONS_ADMIN_TOKEN").getName());
        for (String module : Rendered.SERVICES.keySet()) {
            Map<String, SecretKeySelector> db = secretRefs(rendered, module);
            assertEquals("openons-db-app", db.get("DB_PASSWORD").getName(), module);
            assertEquals("password", db.get("DB_PASSWORD").getKey(), module);
            assertEquals("username", db.get("DB_USER").getKey(), module);
        }
    }

    @Test
    void aDatabasePasswordGivenAsValueGoesIntoASecretNotTheConfigMap() {
        Rendered rendered = Configuration.DEFAULTS.rendered();
        Secret secret = rendered.named(Secret.class, "openons-postgresql");

        assertEquals("not-a-real-password", decoded(secret, "password"));
        for (String module : Rendered.SERVICES.keySet()) {
            assertEquals("openons-postgresql", secretRefs(rendered, module).get("DB_PASSWORD").getName());
            assertFalse(rendered.ofComponent(ConfigMap.class, module).getData().containsValue("not-a-real-password"));
        }
    }

    @Test
    void disabledAdminTokenAndGivenAccountIdLeaveThoseOutOfTheSecret() {
        Rendered rendered = Configuration.EXPOSED.rendered();
        Map<String, SecretKeySelector> refs = secretRefs(rendered, "gateway-service");

        assertFalse(refs.containsKey("ONS_ADMIN_TOKEN"));
        assertFalse(refs.containsKey("ONS_BOOTSTRAP_ACCOUNT_ID"));
        assertEquals("1000000000000042",
                rendered.ofComponent(ConfigMap.class, "gateway-service").getData().get("ONS_BOOTSTRAP_ACCOUNT_ID"));
        assertFalse(rendered.named(Secret.class, "openons-gateway-service").getData().containsKey("admin-token"));
    }
}
