package io.openons.deploy.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses rendered manifests into the fabric8 Kubernetes model, strictly: an unknown apiVersion/kind, a type
 * mismatch or any field the model does not know (fabric8 keeps those in {@code additionalProperties}) is an error.
 */
final class Manifests {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    /** The non-empty YAML documents of a multi-document stream. */
    static List<String> split(String yaml) {
        List<String> documents = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.lines().anyMatch(line -> !line.isBlank() && !line.stripLeading().startsWith("#"))) {
                documents.add(document);
            }
        }
        return documents;
    }

    /** Parses one document; throws {@link AssertionError} naming the object and the offending field. */
    static HasMetadata parseStrict(String document) {
        Object parsed;
        try {
            parsed = SERIALIZATION.unmarshal(document);
        } catch (RuntimeException e) {
            throw new AssertionError("Not a valid Kubernetes object: " + e.getMessage() + "\n" + document, e);
        }
        if (!(parsed instanceof HasMetadata object)) {
            throw new AssertionError("Not a Kubernetes object:\n" + document);
        }
        if (object instanceof GenericKubernetesResource) {
            throw new AssertionError("Unknown apiVersion/kind " + object.getApiVersion() + "/" + object.getKind()
                    + " (no Kubernetes model):\n" + document);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(object, object.getKind(), unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError("Unknown fields in " + object.getKind() + " " + object.getMetadata().getName()
                    + ": " + unknown);
        }
        return object;
    }

    private static void collectUnknownFields(Object value, String path, List<String> unknown) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object item : collection) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> collectUnknownFields(item, path + "." + key, unknown));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object property;
            try {
                property = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String name = getter.getName().substring(3);
            if (name.equals("AdditionalProperties")) {
                if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                }
            } else {
                collectUnknownFields(property, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1),
                        unknown);
            }
        }
    }
}
