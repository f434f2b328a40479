package io.openons.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every rendered document is a valid Kubernetes object (known kind, no unknown field), and the objects fit
 * together: selectors select, references point at rendered objects, the HPA owns the replica count.
 */
class RenderedManifestsTest {

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void everyDocumentIsAKnownKubernetesObjectWithoutUnknownFields(Configuration configuration) {
        Rendered rendered = configuration.rendered();

        assertEquals(rendered.documents().size(), rendered.objects().size());
        rendered.objects().forEach(o -> assertEquals(Chart.NAMESPACE, o.getMetadata().getNamespace(),
                () -> o.getKind() + " " + o.getMetadata().getName() + " namespace"));
    }

    @Test
    void strictParsingCatchesAMisspelledField() {
        String typo = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replica: 2
                """;

        AssertionError error = assertThrows(AssertionError.class, () -> Manifests.parseStrict(typo));
        assertTrue(error.getMessage().contains("Deployment.spec.replica"), error.getMessage());
    }

    @Test
    void strictParsingRejectsAnUnknownKind() {
        String unknown = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}\n";

        AssertionError error = assertThrows(AssertionError.class, () -> Manifests.parseStrict(unknown));
        assertTrue(error.getMessage().contains("Unknown apiVersion/kind example.com/v1/Widget"), error.getMessage());
    }

    @Test
    void defaultsRenderTheWholeSuite() {
        Rendered rendered = Configuration.DEFAULTS.rendered();

        Map<String, Long> kinds = rendered.objects().stream()
                .collect(Collectors.groupingBy(HasMetadata::getKind, TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("ConfigMap", 5L, "Deployment", 5L, "Service", 5L, "NetworkPolicy", 5L,
                "PodDisruptionBudget", 5L, "ServiceAccount", 1L, "Secret", 2L), kinds);
        assertEquals(Set.of("openons-gateway-service", "openons-resource-service", "openons-message-service",
                        "openons-trace-service", "openons-stats-service"),
                rendered.deployments().stream().map(d -> d.getMetadata().getName()).collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void eachServiceSelectsExactlyItsOwnDeploymentsPods(Configuration configuration) {
        Rendered rendered = configuration.rendered();

        for (Service service : rendered.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            var selected = rendered.deployments().stream()
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                            .containsAll(selector.entrySet()))
                    .toList();
            assertEquals(1, selected.size(), () -> service.getMetadata().getName() + " selects " + selected.size());
            assertEquals(Rendered.component(service), Rendered.component(selected.get(0)));
            assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        }
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void deploymentSelectorsMatchTheirPodTemplates(Configuration configuration) {
        for (Deployment deployment : configuration.rendered().deployments()) {
            assertTrue(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                    .containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()));
        }
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void disruptionBudgetsCoverEveryService(Configuration configuration) {
        Rendered rendered = configuration.rendered();

        for (Deployment deployment : rendered.deployments()) {
            PodDisruptionBudget pdb = rendered.ofComponent(PodDisruptionBudget.class, Rendered.component(deployment));
            assertEquals(deployment.getSpec().getSelector().getMatchLabels(),
                    pdb.getSpec().getSelector().getMatchLabels());
        }
    }

    @Test
    void productionAutoscalesGatewayAndMessageServiceAndLeavesTheirReplicasToTheHpa() {
        Rendered rendered = Configuration.PRODUCTION.rendered();

        var hpas = rendered.all(HorizontalPodAutoscaler.class);
        assertEquals(Set.of("gateway-service", "message-service"),
                hpas.stream().map(Rendered::component).collect(Collectors.toSet()));
        for (HorizontalPodAutoscaler hpa : hpas) {
            Deployment target = rendered.named(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
            assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
            assertNull(target.getSpec().getReplicas(), "an autoscaled Deployment leaves replicas to the HPA");
            assertTrue(hpa.getSpec().getMinReplicas() > 1);
        }
        assertEquals(2, rendered.named(Deployment.class, "openons-resource-service").getSpec().getReplicas());
        assertEquals(2, rendered.named(PodDisruptionBudget.class, "openons-gateway-service")
                .getSpec().getMinAvailable().getIntVal());
    }

    @Test
    void defaultsRunOneReplicaOfEachWithoutAutoscaling() {
        Rendered rendered = Configuration.DEFAULTS.rendered();

        assertTrue(rendered.all(HorizontalPodAutoscaler.class).isEmpty());
        rendered.deployments().forEach(d -> assertEquals(1, d.getSpec().getReplicas()));
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void messageServiceReadsConsumeTpsFromTheRenderedStatsService(Configuration configuration) {
        Rendered rendered = configuration.rendered();
        Service stats = rendered.ofComponent(Service.class, "stats-service");

        assertEquals("http://" + stats.getMetadata().getName() + "." + Chart.NAMESPACE + ".svc:"
                        + stats.getSpec().getPorts().get(0).getPort(),
                rendered.ofComponent(ConfigMap.class, "message-service").getData().get("ONS_STATS_SERVICE_URL"));
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void gatewayReachesEachInternalServiceThroughItsRenderedService(Configuration configuration) {
        Rendered rendered = configuration.rendered();
        Map<String, String> env = rendered.ofComponent(ConfigMap.class, "gateway-service").getData();

        for (String module : Rendered.SERVICES.keySet()) {
            if (!Rendered.isInternal(module)) {
                continue;
            }
            String variable = "ONS_" + Rendered.SERVICES.get(module).toUpperCase() + "_SERVICE_URL";
            Service service = rendered.ofComponent(Service.class, module);
            String expected = "http://" + service.getMetadata().getName() + "." + Chart.NAMESPACE + ".svc:"
                    + service.getSpec().getPorts().get(0).getPort();
            assertEquals(expected, env.get(variable), variable);
            int containerPort = rendered.ofComponent(Deployment.class, module).getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getPorts().get(0).getContainerPort();
            assertEquals(service.getSpec().getPorts().get(0).getPort(), containerPort);
        }
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void everyServiceGetsItsConfigurationFromItsConfigMap(Configuration configuration) {
        Rendered rendered = configuration.rendered();

        for (Deployment deployment : rendered.deployments()) {
            var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            String configMapName = container.getEnvFrom().get(0).getConfigMapRef().getName();
            Map<String, String> env = rendered.named(ConfigMap.class, configMapName).getData();
            assertEquals(Rendered.component(deployment), Rendered.component(rendered.named(ConfigMap.class, configMapName)));
            assertEquals(String.valueOf(container.getPorts().get(0).getContainerPort()), env.get("HTTP_PORT"));
            for (String key : Set.of("DB_URL", "DB_POOL_MAX", "KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_LOG_CONSOLE_JSON_ENABLED")) {
                assertTrue(env.containsKey(key), () -> configMapName + " has " + key);
            }
            assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("DB_PASSWORD")
                    && e.getValueFrom().getSecretKeyRef() != null));
            assertTrue(env.containsKey("DB_USER") || container.getEnv().stream().anyMatch(e -> e.getName().equals("DB_USER")),
                    () -> configMapName + " DB_USER");
        }
    }

    @Test
    void serviceOverridesWinOverChartWideSettings() {
        Rendered rendered = Configuration.EXPOSED.rendered();
        Map<String, String> gateway = rendered.ofComponent(ConfigMap.class, "gateway-service").getData();
        var resourceEnv = rendered.ofComponent(Deployment.class, "resource-service").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv();

        assertEquals("24", gateway.get("DB_POOL_MAX"));
        assertEquals("10s", gateway.get("ONS_SERVICE_TIMEOUT"));
        assertEquals("-Djava.util.logging.manager=org.jboss.logmanager.LogManager -XX:+ExitOnOutOfMemoryError",
                gateway.get("JAVA_OPTS_APPEND"), "the image's LogManager flag stays");
        assertFalse(gateway.containsKey("DB_USER"), "the user comes from the existing Secret");
        assertEquals("openons-resource-db", resourceEnv.stream().filter(e -> e.getName().equals("DB_USER"))
                .findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName());
        assertEquals("user", resourceEnv.stream().filter(e -> e.getName().equals("DB_USER"))
                .findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getKey());
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void podsRunUnderTheChartsServiceAccountWithoutAToken(Configuration configuration) {
        Rendered rendered = configuration.rendered();
        String account = rendered.all(ServiceAccount.class).get(0).getMetadata().getName();

        for (Deployment deployment : rendered.deployments()) {
            assertEquals(account, deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
            assertEquals(Boolean.FALSE, deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
        }
    }

    @Test
    void publicEndpointFollowsTheIngress() {
        assertEquals("https://ons.example.com", Configuration.PRODUCTION.rendered()
                .ofComponent(ConfigMap.class, "resource-service").getData().get("ONS_PUBLIC_HTTP_ENDPOINT"));
        assertEquals("http://ons.internal.example", Configuration.EXPOSED.rendered()
                .ofComponent(ConfigMap.class, "resource-service").getData().get("ONS_PUBLIC_HTTP_ENDPOINT"));
        assertEquals("http://openons-gateway-service.ons.svc", Configuration.DEFAULTS.rendered()
                .ofComponent(ConfigMap.class, "resource-service").getData().get("ONS_PUBLIC_HTTP_ENDPOINT"));
    }

    @Test
    void productionTakesEverySecretFromExistingSecrets() {
        Rendered rendered = Configuration.PRODUCTION.rendered();

        assertTrue(rendered.all(Secret.class).isEmpty(), "no chart-managed Secret in production");
        assertEquals(1, rendered.all(Ingress.class).size());
        assertEquals(5, rendered.all(NetworkPolicy.class).size());
    }
}
