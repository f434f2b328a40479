package io.openons.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Creates accounts and manages keys through the gateway's admin API, as an operator does. */
public final class Accounts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Accounts() {
    }

    public record Key(String accountId, String accessKeyId, String accessKeySecret) {
    }

    public static Key create(Suite suite, String displayName) throws Exception {
        JsonNode body = admin(suite, "POST", "/admin/v1/accounts",
                "{\"displayName\":\"" + displayName + "\"}", 201);
        return new Key(body.get("accountId").asText(), body.get("accessKeyId").asText(),
                body.get("accessKeySecret").asText());
    }

    public static Key createKey(Suite suite, String accountId) throws Exception {
        JsonNode body = admin(suite, "POST", "/admin/v1/accounts/" + accountId + "/access-keys", "{}", 201);
        return new Key(body.get("accountId").asText(), body.get("accessKeyId").asText(),
                body.get("accessKeySecret").asText());
    }

    public static void setEnabled(Suite suite, String accessKeyId, boolean enabled) throws Exception {
        admin(suite, "PUT", "/admin/v1/access-keys/" + accessKeyId, "{\"enabled\":" + enabled + "}", 204);
    }

    private static JsonNode admin(Suite suite, String method, String path, String body, int expected)
            throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(suite.endpoint() + path))
                .header("Authorization", "Bearer " + suite.adminToken())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }
}
