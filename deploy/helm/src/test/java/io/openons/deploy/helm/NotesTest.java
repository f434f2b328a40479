package io.openons.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NOTES.txt tells how to reach the gateway and where to read the bootstrap key, for the values given. */
class NotesTest {

    @TempDir
    Path workDir;

    private static void assertMentions(String notes, String expected) {
        assertTrue(notes.contains(expected), () -> "expected '" + expected + "' in NOTES:\n" + notes);
    }

    @Test
    void defaultsExplainPortForwardAndTheGeneratedSecret() {
        String notes = Chart.notes(workDir, Map.of(), Chart.REQUIRED_VALUES);

        assertMentions(notes, "kubectl -n ons port-forward svc/openons-gateway-service 8080:80");
        assertMentions(notes, "kubectl -n ons get secret openons-gateway-service -o jsonpath='{.data.access-key-id}' | base64 -d");
        assertMentions(notes, "{.data.access-key-secret}");
        assertMentions(notes, "{.data.admin-token}");
        assertMentions(notes, "Flyway takes a database lock");
        assertMentions(notes, "Secret is kept on uninstall");
    }

    @Test
    void productionPointsAtTheIngressAndTheExistingSecrets() {
        String notes = Chart.notes(workDir, Map.of(), Chart.PRODUCTION_VALUES);

        assertMentions(notes, "https://ons.example.com");
        assertMentions(notes, "get secret openons-gateway-keys -o jsonpath='{.data.access-key-id}'");
        assertMentions(notes, "get secret openons-admin -o jsonpath='{.data.admin-token}'");
        assertFalse(notes.contains("port-forward"), notes);
        assertFalse(notes.contains("generated secrets"), notes);
    }

    @Test
    void loadBalancerGatewayExplainsHowToFindItsAddress() {
        String notes = Chart.notes(workDir, Map.of("gateway.service.type", "LoadBalancer"), Chart.REQUIRED_VALUES);

        assertMentions(notes, "status.loadBalancer.ingress[0]");
    }
}
