package io.openons.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Only the gateway is exposed: the internal services have no LoadBalancer, NodePort or Ingress. */
class ExposureTest {

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void internalServicesAreClusterIpOnly(Configuration configuration) {
        for (Service service : configuration.rendered().all(Service.class)) {
            if (!Rendered.isInternal(Rendered.component(service))) {
                continue;
            }
            String name = service.getMetadata().getName();
            assertEquals("ClusterIP", service.getSpec().getType(), name);
            assertTrue(service.getSpec().getExternalIPs() == null || service.getSpec().getExternalIPs().isEmpty(), name);
            assertNull(service.getSpec().getLoadBalancerIP(), name);
            service.getSpec().getPorts().forEach(port -> assertNull(port.getNodePort(), name));
        }
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void everyIngressPathLeadsToTheGateway(Configuration configuration) {
        Rendered rendered = configuration.rendered();
        String gateway = rendered.ofComponent(Service.class, "gateway-service").getMetadata().getName();

        for (Ingress ingress : rendered.all(Ingress.class)) {
            assertNull(ingress.getSpec().getDefaultBackend());
            for (IngressRule rule : ingress.getSpec().getRules()) {
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    assertEquals(gateway, path.getBackend().getService().getName());
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void gatewayExposureFollowsItsValues() {
        Service exposed = Configuration.EXPOSED.rendered().ofComponent(Service.class, "gateway-service");
        Service internalOnly = Configuration.DEFAULTS.rendered().ofComponent(Service.class, "gateway-service");

        assertEquals("LoadBalancer", exposed.getSpec().getType());
        assertEquals(30443, exposed.getSpec().getPorts().get(0).getNodePort());
        assertEquals("Local", exposed.getSpec().getExternalTrafficPolicy());
        assertEquals("ClusterIP", internalOnly.getSpec().getType());
        assertTrue(Configuration.DEFAULTS.rendered().all(Ingress.class).isEmpty(), "no Ingress by default");
    }
}
