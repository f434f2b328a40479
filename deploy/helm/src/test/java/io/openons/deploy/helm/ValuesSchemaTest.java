package io.openons.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad values fail at install (values.schema.json, or a template check) with a message naming the value. */
class ValuesSchemaTest {

    private static void assertFailsWith(String message, String expected) {
        assertTrue(message.contains(expected), () -> "expected '" + expected + "' in:\n" + message);
    }

    @Test
    void rejectsNegativeReplicaCount() {
        String message = Chart.renderingError(Map.of("gateway.replicaCount", -1), Chart.REQUIRED_VALUES);

        assertFailsWith(message, "values don't meet the specifications of the schema");
        assertFailsWith(message, "at '/gateway/replicaCount': minimum: got -1, want 0");
    }

    @Test
    void rejectsNegativeReplicaCountOfAnInternalService() {
        String message = Chart.renderingError(Map.of("message.replicaCount", -2), Chart.REQUIRED_VALUES);

        assertFailsWith(message, "at '/message/replicaCount': minimum: got -2, want 0");
    }

    @Test
    void rejectsMissingPostgresqlUrl() {
        String message = Chart.renderingError(
                Map.of("kafka.bootstrapServers", "kafka:9092", "postgresql.password", "pw"));

        assertFailsWith(message, "at '/postgresql': missing property 'url'");
    }

    @Test
    void rejectsPostgresqlUrlThatIsNotJdbc() {
        String message = Chart.renderingError(Map.of("postgresql.url", "postgres://db:5432/openons"),
                Chart.REQUIRED_VALUES);

        assertFailsWith(message, "at '/postgresql/url'");
        assertFailsWith(message, "does not match pattern '^jdbc:postgresql://");
    }

    @Test
    void rejectsMissingKafkaBootstrapServers() {
        String message = Chart.renderingError(
                Map.of("postgresql.url", "jdbc:postgresql://db:5432/openons", "postgresql.password", "pw"));

        assertFailsWith(message, "at '/kafka': missing property 'bootstrapServers'");
    }

    @Test
    void rejectsUnknownGatewayServiceType() {
        String message = Chart.renderingError(Map.of("gateway.service.type", "Ingress"), Chart.REQUIRED_VALUES);

        assertFailsWith(message, "at '/gateway/service/type': value must be one of 'ClusterIP', 'NodePort', 'LoadBalancer'");
    }

    @Test
    void internalServicesHaveNoServiceTypeToSet() {
        String message = Chart.renderingError(Map.of("resource.service.type", "LoadBalancer"), Chart.REQUIRED_VALUES);

        assertFailsWith(message, "at '/resource': additional properties 'service' not allowed");
    }

    @Test
    void rejectsMisspelledKeys() {
        String message = Chart.renderingError(Map.of("gateway.replica", 3), Chart.REQUIRED_VALUES);

        assertFailsWith(message, "at '/gateway': additional properties 'replica' not allowed");
    }

    @Test
    void rejectsAutoscalingOnAServiceWithoutHpa() {
        String message = Chart.renderingError(Map.of("trace.autoscaling.enabled", true), Chart.REQUIRED_VALUES);

        assertFailsWith(message, "at '/trace': additional properties 'autoscaling' not allowed");
    }

    @Test
    void rejectsMalformedMemoryQuantity() {
        String message = Chart.renderingError(Map.of("stats.resources.limits.memory", "lots"), Chart.REQUIRED_VALUES);

        assertFailsWith(message, "at '/stats/resources/limits/memory'");
    }

    @Test
    void rejectsAnUnquotedAccountIdThatHelmWouldTurnIntoAFloat() {
        String message = Chart.renderingError(Map.of("gateway.bootstrap.accountId", 1000000000000042L),
                Chart.REQUIRED_VALUES);

        assertFailsWith(message, "at '/gateway/bootstrap/accountId': got number, want string");
    }

    @Test
    void rejectsATimestampToleranceThatIsNotADuration() {
        String message = Chart.renderingError(Map.of("gateway.timestampTolerance", "fifteen minutes"),
                Chart.REQUIRED_VALUES);

        assertFailsWith(message, "at '/gateway/timestampTolerance'");
    }

    @Test
    void requiresADatabasePasswordSource() {
        String message = Chart.renderingError(
                Map.of("postgresql.url", "jdbc:postgresql://db:5432/openons", "kafka.bootstrapServers", "kafka:9092"));

        assertFailsWith(message, "PostgreSQL password missing: set postgresql.existingSecret");
    }

    @Test
    void requiresAHostWhenTheIngressIsOn() {
        String message = Chart.renderingError(Map.of("gateway.ingress.enabled", true), Chart.REQUIRED_VALUES);

        assertFailsWith(message, "gateway.ingress.hosts must list at least one host");
    }
}
