package io.openons.deploy.helm;

import java.nio.file.Path;
import java.util.Map;

/** The value sets every structural test runs against, each rendered once per test run. */
enum Configuration {
    /** The chart's defaults plus only what an install must give. */
    DEFAULTS(Chart.REQUIRED_VALUES),
    /** The shipped production example, on its own. */
    PRODUCTION(Chart.PRODUCTION_VALUES),
    /** LoadBalancer gateway, Ingress, autoscaling and per-service overrides. */
    EXPOSED(Chart.REQUIRED_VALUES, Chart.EXPOSED_VALUES);

    private final Path[] valuesFiles;
    private Rendered rendered;

    Configuration(Path... valuesFiles) {
        this.valuesFiles = valuesFiles;
    }

    Path[] valuesFiles() {
        return valuesFiles.clone();
    }

    /** Release name: "openons", so object names are openons-<module>, as in a typical install. */
    synchronized Rendered rendered() {
        if (rendered == null) {
            rendered = Chart.render("openons", Map.of(), valuesFiles);
        }
        return rendered;
    }
}
