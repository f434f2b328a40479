package io.openons.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every container has the three Quarkus health probes, requests and limits, and a locked-down security context. */
class PodHardeningTest {

    private static void assertProbe(Probe probe, String path, String where) {
        assertNotNull(probe, where);
        assertEquals(path, probe.getHttpGet().getPath(), where);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), where);
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void everyContainerHasStartupLivenessAndReadinessProbes(Configuration configuration) {
        for (Deployment deployment : configuration.rendered().deployments()) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                String where = deployment.getMetadata().getName() + "/" + container.getName();
                assertProbe(container.getStartupProbe(), "/q/health/started", where);
                assertProbe(container.getLivenessProbe(), "/q/health/live", where);
                assertProbe(container.getReadinessProbe(), "/q/health/ready", where);
                assertEquals("http", container.getPorts().get(0).getName(), where);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void everyContainerHasCpuAndMemoryRequestsAndLimits(Configuration configuration) {
        for (Deployment deployment : configuration.rendered().deployments()) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                String where = deployment.getMetadata().getName() + "/" + container.getName();
                for (String resource : List.of("cpu", "memory")) {
                    assertNotNull(container.getResources().getRequests().get(resource), where + " request " + resource);
                    assertNotNull(container.getResources().getLimits().get(resource), where + " limit " + resource);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void everyContainerRunsAsNonRootOnAReadOnlyRootFileSystem(Configuration configuration) {
        for (Deployment deployment : configuration.rendered().deployments()) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
            assertTrue(pod.getSecurityContext().getRunAsUser() > 0);
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
            for (Container container : pod.getContainers()) {
                String where = deployment.getMetadata().getName() + "/" + container.getName();
                var security = container.getSecurityContext();
                assertEquals(Boolean.TRUE, security.getRunAsNonRoot(), where);
                assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), where);
                assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), where);
                assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void everyContainerHasAWritableTmp(Configuration configuration) {
        for (Deployment deployment : configuration.rendered().deployments()) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            for (Container container : pod.getContainers()) {
                VolumeMount tmp = container.getVolumeMounts().stream()
                        .filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
                Volume volume = pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow();
                assertNotNull(volume.getEmptyDir(), deployment.getMetadata().getName() + ": /tmp is an emptyDir");
            }
        }
    }
}
