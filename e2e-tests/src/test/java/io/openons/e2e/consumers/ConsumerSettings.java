package io.openons.e2e.consumers;

import io.openons.e2e.Suite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A group's retry settings, set as an operator does: with the admin command
 * ({@code deploy/ons-admin.sh group-settings}), which calls the gateway's admin API
 * ({@code PUT /admin/v1/accounts/{accountId}/groups/{instanceId}/{groupId}/settings}, forwarded to message-service):
 * the retry interval (the invisibility of an unacknowledged delivery) and the maximum reconsume count. Tests use
 * short values so that they need not wait the production 5 minutes × 288.
 */
public final class ConsumerSettings {

    private ConsumerSettings() {
    }

    /** Sets the group's retry interval and (when not null) its maximum reconsume count; answers the command's JSON. */
    public static String set(Suite suite, String accountId, String instanceId, String groupId, long retryMillis,
            Integer maxReconsumeTimes) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", adminCommand().toString(),
                "--endpoint", suite.endpoint(), "--json", "group-settings", accountId, instanceId, groupId,
                "--retry-interval", Long.toString(retryMillis), "--order-retry-interval", Long.toString(retryMillis)));
        if (maxReconsumeTimes != null) {
            command.addAll(List.of("--max-reconsume", maxReconsumeTimes.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The token goes through the environment, as operators are told to pass it.
        builder.environment().put("ONS_ADMIN_TOKEN", suite.adminToken());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("ons-admin.sh group-settings failed: " + output);
        }
        return output;
    }

    private static Path adminCommand() {
        return Suite.repositoryRoot().resolve("deploy/ons-admin.sh");
    }
}
