package io.openons.e2e.consumers;

import io.openons.e2e.Suite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A group's retry settings, set as an operator does through the gateway's admin API
 * ({@code PUT /admin/v1/accounts/{accountId}/groups/{instanceId}/{groupId}/settings}, forwarded to message-service):
 * the retry interval (the invisibility of an unacknowledged delivery) and the maximum reconsume count. Tests use
 * short values so that they need not wait the production 5 minutes × 288.
 */
public final class ConsumerSettings {

    private ConsumerSettings() {
    }

    /** Sets the group's retry interval and (when not null) its maximum reconsume count. */
    public static void set(Suite suite, String accountId, String instanceId, String groupId, long retryMillis,
            Integer maxReconsumeTimes) throws Exception {
        String body = "{\"invisibleTimeMillis\":" + retryMillis + ",\"orderInvisibleTimeMillis\":" + retryMillis
                + (maxReconsumeTimes == null ? "" : ",\"maxReconsumeTimes\":" + maxReconsumeTimes) + "}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(suite.endpoint()
                        + "/admin/v1/accounts/" + accountId + "/groups/" + instanceId + "/" + groupId + "/settings"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + suite.adminToken())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("group settings answered " + r.statusCode() + ": " + r.body());
        }
    }
}
