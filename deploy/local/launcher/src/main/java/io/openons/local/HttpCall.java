package io.openons.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A minimal HTTP client for {@code deploy/ons-admin.sh} on machines without curl (a JDK is all the local run
 * needs). It has no dependency beyond the JDK, so the script runs it straight from this source file.
 *
 * <p>Usage: {@code java HttpCall.java METHOD URL [JSON_BODY]}; sends {@code Authorization: Bearer $ONS_ADMIN_TOKEN}
 * when that variable is set. Prints the response body, a newline and the status code, like
 * {@code curl -w '\n%{http_code}'}; exits with 7 when the server cannot be reached.
 */
public final class HttpCall {

    private HttpCall() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: java HttpCall.java METHOD URL [JSON_BODY]");
            System.exit(2);
        }
        String body = args.length > 2 ? args[2] : null;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(args[1]))
                .timeout(Duration.ofSeconds(30))
                .method(args[0], body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        String token = System.getenv("ONS_ADMIN_TOKEN");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            System.out.print(response.body());
            System.out.println();
            System.out.println(response.statusCode());
        } catch (IOException e) {
            System.err.println("cannot reach " + args[1] + ": " + e);
            System.exit(7);
        }
    }
}
