package io.openons.e2e.messaging;

import io.openons.e2e.Accounts;
import io.openons.signature.HuaweiApigSignature;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Calls Huawei Cloud's SendMessage as the Huawei Cloud SDK core does on the wire (huawei-apig-signing.md §1):
 * {@code SDK-HMAC-SHA256} over host, user-agent, x-project-id and x-sdk-date, JSON body sent chunked. No
 * released Huawei SDK has SendMessage, so the request is signed with the project's signer (whose unit tests
 * are the documented vectors the SDK reproduces).
 */
final class HuaweiRestClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String USER_AGENT = "huaweicloud-usdk-java/3.0";

    private final String endpoint;
    private final Accounts.Key key;

    HuaweiRestClient(String endpoint, Accounts.Key key) {
        this.endpoint = endpoint;
        this.key = key;
    }

    HttpResponse<String> send(String projectId, String instanceId, String json) throws Exception {
        return send(projectId, instanceId, json, key.accessKeySecret());
    }

    HttpResponse<String> send(String projectId, String instanceId, String json, String secret) throws Exception {
        String path = "/v2/rocketmq/" + projectId + "/instances/" + instanceId + "/messages";
        URI uri = URI.create(endpoint + path);
        String host = uri.getAuthority();
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        List<String> signed = List.of("host", "user-agent", "x-project-id", "x-sdk-date");
        Map<String, String> headers = Map.of("host", host, "user-agent", USER_AGENT, "x-project-id", projectId,
                "x-sdk-date", date);
        String canonical = HuaweiApigSignature.canonicalRequest("POST", path, Map.of(), signed, headers::get,
                HuaweiApigSignature.sha256Hex(body));
        String signature = HuaweiApigSignature.sign(secret, HuaweiApigSignature.stringToSign(date, canonical));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", HuaweiApigSignature.authorization(key.accessKeyId(), signed, signature))
                .header("User-Agent", USER_AGENT)
                .header("X-Project-Id", projectId)
                .header("X-Sdk-Date", date)
                .header("Content-Type", "application/json")
                // An input-stream body of unknown length goes out chunked, like the SDK's.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
