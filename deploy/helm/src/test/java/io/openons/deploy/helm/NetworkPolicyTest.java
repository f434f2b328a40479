package io.openons.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The internal services accept traffic only from the suite's own pods, and only on their HTTP port. */
class NetworkPolicyTest {

    private static final Map<String, String> SUITE_PODS = Map.of(
            "app.kubernetes.io/name", "openons", "app.kubernetes.io/instance", "openons");

    private static List<NetworkPolicy> policiesSelecting(Rendered rendered, Deployment deployment) {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        return rendered.all(NetworkPolicy.class).stream()
                .filter(p -> podLabels.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                .toList();
    }

    private static int containerPort(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void internalServicesAdmitOnlyTheSuitesPodsOnTheirPort(Configuration configuration) {
        Rendered rendered = configuration.rendered();

        for (Deployment deployment : rendered.deployments()) {
            String module = Rendered.component(deployment);
            if (!Rendered.isInternal(module)) {
                continue;
            }
            List<NetworkPolicy> policies = policiesSelecting(rendered, deployment);
            assertEquals(1, policies.size(), module);
            NetworkPolicy policy = policies.get(0);
            assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes(), module);
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), module + ": a rule without from admits everyone");
                assertEquals(1, rule.getPorts().size());
                assertEquals(containerPort(deployment), rule.getPorts().get(0).getPort().getIntVal());
                NetworkPolicyPeer first = rule.getFrom().get(0);
                assertEquals(SUITE_PODS, first.getPodSelector().getMatchLabels(), module);
                assertNull(first.getNamespaceSelector(), module + ": same namespace only");
                assertNull(first.getIpBlock(), module);
            }
        }
    }

    @Test
    void byDefaultNothingButTheSuiteReachesTheInternalServices() {
        Rendered rendered = Configuration.DEFAULTS.rendered();

        for (Deployment deployment : rendered.deployments()) {
            if (Rendered.isInternal(Rendered.component(deployment))) {
                for (NetworkPolicyIngressRule rule : policiesSelecting(rendered, deployment).get(0).getSpec().getIngress()) {
                    assertEquals(1, rule.getFrom().size(), "only the suite's pods");
                }
            }
        }
    }

    @Test
    void extraSourcesAreOnlyTheConfiguredOnes() {
        Rendered rendered = Configuration.PRODUCTION.rendered();
        Deployment trace = rendered.ofComponent(Deployment.class, "trace-service");

        List<NetworkPolicyPeer> from = policiesSelecting(rendered, trace).get(0).getSpec().getIngress().get(0).getFrom();
        assertEquals(2, from.size());
        assertEquals(Map.of("kubernetes.io/metadata.name", "monitoring"),
                from.get(1).getNamespaceSelector().getMatchLabels());
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void gatewayAdmitsTrafficOnlyOnItsHttpPort(Configuration configuration) {
        Rendered rendered = configuration.rendered();
        Deployment gateway = rendered.ofComponent(Deployment.class, "gateway-service");

        List<NetworkPolicy> policies = policiesSelecting(rendered, gateway);
        assertEquals(1, policies.size());
        List<NetworkPolicyIngressRule> rules = policies.get(0).getSpec().getIngress();
        assertEquals(1, rules.size());
        assertEquals(containerPort(gateway), rules.get(0).getPorts().get(0).getPort().getIntVal());
    }

    @Test
    void productionAdmitsOnlyTheIngressControllerToTheGateway() {
        Rendered rendered = Configuration.PRODUCTION.rendered();
        Deployment gateway = rendered.ofComponent(Deployment.class, "gateway-service");

        List<NetworkPolicyPeer> from = policiesSelecting(rendered, gateway).get(0).getSpec().getIngress().get(0).getFrom();
        assertEquals(1, from.size());
        assertTrue(from.get(0).getNamespaceSelector().getMatchLabels().containsValue("ingress-nginx"));
    }
}
