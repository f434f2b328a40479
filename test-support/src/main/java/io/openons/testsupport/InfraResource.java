package io.openons.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource giving a service under test its real PostgreSQL and Kafka. Declare it with
 * {@code @WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)} so that every test
 * class of the module shares one infrastructure (and one application start).
 */
public class InfraResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Infrastructure.quarkusConfig();
    }

    @Override
    public void stop() {
        // Stopped by a JVM shutdown hook: other test classes of the module may still use it.
    }
}
