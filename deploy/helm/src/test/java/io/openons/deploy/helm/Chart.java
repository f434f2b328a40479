package io.openons.deploy.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The chart under test and the Helm calls the tests make on it (helm-java: the real Helm engine, in process). */
final class Chart {

    static final String NAMESPACE = "ons";
    static final Path DIR = Path.of(System.getProperty("openons.chart.dir", "openons")).toAbsolutePath();
    static final Path PRODUCTION_VALUES = DIR.resolve("values-production.yaml");
    /** The values an install must give; with the chart's defaults, the smallest valid configuration. */
    static final Path REQUIRED_VALUES = resource("required-values.yaml");
    /** Gateway exposure, autoscaling and per-service overrides switched on together. */
    static final Path EXPOSED_VALUES = resource("exposed-values.yaml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Chart() {
    }

    /** Renders the chart like {@code helm template}; Helm errors (schema, fail) surface as exceptions. */
    static String template(String release, Map<String, ?> set, Path... valuesFiles) {
        FakeKubernetesApi.get();
        TemplateCommand command = new Helm(DIR).template().withName(release).withNamespace(NAMESPACE);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (Map.Entry<String, ?> entry : set.entrySet()) {
            command = command.set(entry.getKey(), entry.getValue());
        }
        return command.call();
    }

    static Rendered render(String release, Map<String, ?> set, Path... valuesFiles) {
        return Rendered.of(template(release, set, valuesFiles));
    }

    /** The message Helm fails with for these values; fails the test when rendering succeeds. */
    static String renderingError(Map<String, ?> set, Path... valuesFiles) {
        try {
            template("bad", set, valuesFiles);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("Rendering succeeded with " + set + ", expected a failure");
    }

    /**
     * {@code helm lint --strict -f <values>...}: helm-java's lint takes no values, so the chart is copied to
     * {@code workDir} with its values.yaml deep-merged with the given files (what Helm does with -f).
     */
    static LintResult lintStrict(Path workDir, Path... valuesFiles) {
        try {
            Path staged = stage(workDir);
            Map<String, Object> values = readYaml(DIR.resolve("values.yaml"));
            for (Path file : valuesFiles) {
                deepMerge(values, readYaml(file));
            }
            YAML.writeValue(staged.resolve("values.yaml").toFile(), values);
            return new Helm(staged).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rendered NOTES.txt (helm-java's template does not return it): a staged copy of the chart renders the
     * notes into a ConfigMap, which is then read back.
     */
    static String notes(Path workDir, Map<String, ?> set, Path... valuesFiles) {
        try {
            Path staged = stage(workDir);
            String notes = Files.readString(staged.resolve("templates/NOTES.txt"));
            Files.delete(staged.resolve("templates/NOTES.txt"));
            Files.writeString(staged.resolve("templates/_notes-preview.tpl"),
                    "{{- define \"test.notes\" -}}\n" + notes + "\n{{- end }}\n");
            Files.writeString(staged.resolve("templates/notes-preview.yaml"), """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: notes-preview
                    data:
                      notes: {{ include "test.notes" . | quote }}
                    """);
            FakeKubernetesApi.get();
            TemplateCommand command = new Helm(staged).template().withName("openons").withNamespace(NAMESPACE);
            for (Path file : valuesFiles) {
                command = command.withValuesFile(file);
            }
            for (Map.Entry<String, ?> entry : set.entrySet()) {
                command = command.set(entry.getKey(), entry.getValue());
            }
            return Rendered.of(command.call()).named(ConfigMap.class, "notes-preview")
                    .getData().get("notes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path stage(Path workDir) throws IOException {
        Path staged = workDir.resolve(DIR.getFileName());
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = staged.resolve(DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return staged;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readYaml(Path file) throws IOException {
        Map<String, Object> map = YAML.readValue(file.toFile(), LinkedHashMap.class);
        return map == null ? new LinkedHashMap<>() : map;
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
        overlay.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested && base.get(key) instanceof Map<?, ?> existing) {
                deepMerge((Map<String, Object>) existing, (Map<String, Object>) nested);
            } else {
                base.put(key, value);
            }
        });
    }

    private static Path resource(String name) {
        try {
            return Path.of(Chart.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
