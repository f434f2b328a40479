package io.openons.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** helm lint --strict: template syntax, chart metadata and the values schema, for each configuration. */
class ChartLintTest {

    @TempDir
    Path workDir;

    @ParameterizedTest
    @EnumSource(Configuration.class)
    void lintsCleanInStrictMode(Configuration configuration) {
        LintResult result = Chart.lintStrict(workDir, configuration.valuesFiles());

        assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
        assertTrue(result.getMessages().stream().noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]")),
                () -> String.join("\n", result.getMessages()));
    }

    @Test
    void lintWithoutTheRequiredValuesNamesThem() {
        LintResult result = new Helm(Chart.DIR).lint().strict().call();

        assertTrue(result.isFailed());
        String messages = String.join("\n", result.getMessages());
        assertTrue(messages.contains("at '/postgresql': missing property 'url'"), messages);
        assertTrue(messages.contains("at '/kafka': missing property 'bootstrapServers'"), messages);
    }
}
