package io.openons.e2e.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.ons.model.v20190214.OnsTopicListRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.e2e.Fixtures;
import io.openons.e2e.OnsApi;
import io.openons.e2e.Suite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Operating the suite as a new user would: every service answers health, metrics and OpenAPI; a request's id
 * and trace id appear in the logs of the gateway and of the service that served it; metrics move with traffic.
 */
class ObservabilityE2ETest {

    private static final List<String> SERVICES = List.of("gateway-service", "resource-service", "message-service",
            "trace-service", "stats-service");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyServiceAnswersHealthMetricsAndOpenApi() throws Exception {
        Suite suite = Suite.get();
        for (String service : SERVICES) {
            String url = suite.serviceUrl(service);
            HttpResponse<String> live = get(url + "/q/health/live");
            assertEquals(200, live.statusCode(), service + " live: " + live.body());
            HttpResponse<String> ready = get(url + "/q/health/ready");
            assertEquals(200, ready.statusCode(), service + " ready: " + ready.body());
            JsonNode checks = JSON.readTree(ready.body()).get("checks");
            String names = checks.toString();
            assertTrue(names.contains("Database connections health check"), service + " readiness checks PostgreSQL: "
                    + names);
            if (!service.equals("gateway-service")) {
                assertTrue(names.contains("Kafka connection health check"), service + " readiness checks Kafka: "
                        + names);
            }
            assertEquals(200, get(url + "/q/metrics").statusCode(), service + " metrics");
            HttpResponse<String> openapi = get(url + "/q/openapi?format=json");
            assertEquals(200, openapi.statusCode(), service + " openapi");
            assertFalse(JSON.readTree(openapi.body()).get("paths").isEmpty(), service + " documents its API");
        }
    }

    @Test
    void aRequestIsFollowedByItsIdAndTraceThroughTheServicesItTouches() throws Exception {
        Suite suite = Suite.get();
        suite.requireOwnSuite("it turns on the opt-in tracing and internal access logs it checks");
        OnsApi api = OnsApi.newAccount(suite, "observability");
        String instance = Fixtures.instance(api);
        double before = counter(suite.serviceUrl("gateway-service"), "OnsTopicList", "Success");

        OnsTopicListRequest list = new OnsTopicListRequest();
        list.setInstanceId(instance);
        String requestId = api.call(list).getRequestId();

        String gatewayLine = awaitLine(suite, "gateway-service", "req=" + requestId);
        String serviceLine = awaitLine(suite, "resource-service", "req=" + requestId);
        String trace = traceIdOf(gatewayLine);
        assertTrue(trace.matches("[0-9a-f]{32}") && !trace.matches("0+"), "a trace id in: " + gatewayLine);
        assertEquals(trace, traceIdOf(serviceLine), "the same trace continues in resource-service");
        assertEquals(before + 1, counter(suite.serviceUrl("gateway-service"), "OnsTopicList", "Success"));
    }

    private static String awaitLine(Suite suite, String service, String needle) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<String> line;
            try (var lines = Files.lines(suite.logOf(service))) {
                line = lines.filter(l -> l.contains(needle)).findFirst();
            }
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(needle + " not found in " + suite.logOf(service));
    }

    private static String traceIdOf(String line) {
        Matcher m = Pattern.compile("trace=([0-9a-f]*)").matcher(line);
        return m.find() ? m.group(1) : "";
    }

    private static double counter(String url, String action, String outcome) throws Exception {
        Pattern p = Pattern.compile("^ons_gateway_requests_total\\{(?=.*action=\"" + action + "\")(?=.*outcome=\""
                + outcome + "\")(?=.*dialect=\"rpc\")[^}]*} ([0-9.eE+]+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(get(url + "/q/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
