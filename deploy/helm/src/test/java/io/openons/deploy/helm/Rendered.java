package io.openons.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;

/** One rendering of the chart: its YAML documents, each parsed strictly into the Kubernetes model. */
record Rendered(List<String> documents, List<HasMetadata> objects) {

    /** The five services: module name -> values key. */
    static final Map<String, String> SERVICES = Map.of(
            "gateway-service", "gateway",
            "resource-service", "resource",
            "message-service", "message",
            "trace-service", "trace",
            "stats-service", "stats");

    static Rendered of(String yaml) {
        List<String> documents = Manifests.split(yaml);
        return new Rendered(documents, documents.stream().map(Manifests::parseStrict).toList());
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        List<T> matches = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertEquals(1, matches.size(), () -> "one " + type.getSimpleName() + " named " + name);
        return matches.get(0);
    }

    /** The object of a kind belonging to one service (by its component label). */
    <T extends HasMetadata> T ofComponent(Class<T> type, String module) {
        List<T> matches = all(type).stream().filter(o -> module.equals(component(o))).toList();
        assertEquals(1, matches.size(), () -> "one " + type.getSimpleName() + " of " + module);
        return matches.get(0);
    }

    List<Deployment> deployments() {
        return all(Deployment.class);
    }

    static String component(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get("app.kubernetes.io/component");
    }

    static boolean isInternal(String module) {
        return !module.equals("gateway-service");
    }
}
