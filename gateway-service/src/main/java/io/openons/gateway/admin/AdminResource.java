package io.openons.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.operation.InternalHeaders;
import io.openons.contracts.operation.OwningService;
import io.openons.gateway.auth.AccessKey;
import io.openons.gateway.auth.AccessKeyStore;
import io.openons.gateway.config.GatewayConfig;
import io.openons.gateway.routing.OperationRouter;
import io.openons.gateway.routing.ServiceClient;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The admin API of the access-key store, for operators (the {@code deploy/ons-admin.sh} command uses it):
 * create accounts and keys, disable and enable keys. Every call needs {@code Authorization: Bearer <token>}
 * with {@code ons.gateway.admin-token}; without a configured token the admin API is disabled. It also sets a
 * consumer group's retry settings (retry interval, maximum reconsume count), which no public API carries,
 * forwarding them to message-service (docs/decisions/0501-retries-and-dead-letters.md).
 */
@Path("/admin/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "Accounts, access keys and consumer group retry settings")
@SecurityRequirement(name = "adminToken")
public class AdminResource {

    private static final Logger LOG = Logger.getLogger(AdminResource.class);
    private static final Pattern ACCOUNT_ID = Pattern.compile("[1-9][0-9]{5,19}");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final AccessKeyStore store;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final OperationRouter router;

    AdminResource(AccessKeyStore store, GatewayConfig config, ObjectMapper json, OperationRouter router) {
        this.router = router;
        this.store = store;
        this.config = config;
        this.json = json;
    }

    @GET
    @Path("accounts/{accountId}/groups/{instanceId}/{groupId}/settings")
    @Operation(summary = "A consumer group's effective retry settings (retry interval ms, maximum reconsume count)")
    public Response groupSettings(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("accountId") String accountId, @PathParam("instanceId") String instanceId,
            @PathParam("groupId") String groupId) {
        Response denied = authorize(authorization);
        if (denied != null) {
            return denied;
        }
        return forwardSettings("GET", accountId, instanceId, groupId, null);
    }

    @PUT
    @Path("accounts/{accountId}/groups/{instanceId}/{groupId}/settings")
    @Operation(summary = "Set a consumer group's retry settings: {\"invisibleTimeMillis\": retry interval of unordered "
            + "messages, \"orderInvisibleTimeMillis\": of ordered ones, \"maxReconsumeTimes\": redeliveries before the "
            + "dead-letter queue}; an absent value means the default (5 min, 1 min, 288)")
    public Response setGroupSettings(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("accountId") String accountId, @PathParam("instanceId") String instanceId,
            @PathParam("groupId") String groupId, Map<String, Object> body) {
        Response denied = authorize(authorization);
        if (denied != null) {
            return denied;
        }
        if (body == null) {
            return problem(400, "send {\"invisibleTimeMillis\":..,\"orderInvisibleTimeMillis\":..,"
                    + "\"maxReconsumeTimes\":..}");
        }
        return forwardSettings("PUT", accountId, instanceId, groupId, body);
    }

    /** Forwards to message-service's internal settings API, acting for the account that owns the group. */
    private Response forwardSettings(String method, String accountId, String instanceId, String groupId,
            Map<String, Object> body) {
        if (!ACCOUNT_ID.matcher(accountId).matches() || !NAME.matcher(instanceId).matches()
                || !NAME.matcher(groupId).matches()) {
            return problem(400, "accountId must be digits; instanceId and groupId letters, digits, - and _");
        }
        try {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .add("Content-Type", "application/json").add("Accept", "application/json")
                    .add(InternalHeaders.ACCOUNT_ID, accountId);
            ServiceClient.Answer answer = router.client(OwningService.MESSAGE)
                    .send(HttpMethod.valueOf(method), "/internal/v1/messaging/groups/" + instanceId + "/" + groupId
                            + "/settings", headers, body == null ? null : Buffer.buffer(json.writeValueAsBytes(body)),
                            10_000)
                    .toCompletableFuture().get(15, TimeUnit.SECONDS);
            String answered = answer.body().toString(StandardCharsets.UTF_8);
            if (answer.status() == 200 && body != null) {
                LOG.infof("Admin: retry settings of %s/%s (account %s) set to %s", instanceId, groupId, accountId,
                        answered);
            }
            return Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(answered).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem(503, "interrupted");
        } catch (Exception e) {
            LOG.warnf("Admin: message-service unreachable for group settings: %s", e.toString());
            return problem(503, "message-service does not answer; retry later");
        }
    }

    @POST
    @Path("accounts")
    @Operation(summary = "Create an account and its first access key (the secret is shown only here)")
    public Response createAccount(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            NewAccountRequest request) {
        Response denied = authorize(authorization);
        if (denied != null) {
            return denied;
        }
        String accountId = request == null ? null : request.accountId();
        if (accountId != null && !accountId.isBlank()) {
            if (!ACCOUNT_ID.matcher(accountId).matches()) {
                return problem(400, "accountId must be 6 to 20 digits, not starting with 0");
            }
            if (store.account(accountId).isPresent()) {
                return problem(409, "account " + accountId + " exists already");
            }
        }
        var account = store.createAccount(accountId, request == null ? null : request.displayName());
        AccessKeyStore.NewKey key = store.createKey(account.accountId, null, null, "created with the account");
        LOG.infof("Admin: created account %s with access key %s", account.accountId, key.accessKeyId());
        return Response.status(201).entity(key).build();
    }

    @POST
    @Path("accounts/{accountId}/access-keys")
    @Operation(summary = "Create another access key for an account (the secret is shown only here)")
    public Response createKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("accountId") String accountId, NewKeyRequest request) {
        Response denied = authorize(authorization);
        if (denied != null) {
            return denied;
        }
        if (store.account(accountId).isEmpty()) {
            return problem(404, "account " + accountId + " does not exist");
        }
        AccessKeyStore.NewKey key = store.createKey(accountId, null, null,
                request == null ? null : request.description());
        LOG.infof("Admin: created access key %s for account %s", key.accessKeyId(), accountId);
        return Response.status(201).entity(key).build();
    }

    @GET
    @Path("accounts/{accountId}/access-keys")
    @Operation(summary = "List an account's access keys (without secrets)")
    public Response listKeys(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("accountId") String accountId) {
        Response denied = authorize(authorization);
        if (denied != null) {
            return denied;
        }
        if (store.account(accountId).isEmpty()) {
            return problem(404, "account " + accountId + " does not exist");
        }
        List<KeyView> keys = store.keysOf(accountId).stream().map(KeyView::of).toList();
        return Response.ok(keys).build();
    }

    @PUT
    @Path("access-keys/{accessKeyId}")
    @Operation(summary = "Enable or disable an access key ({\"enabled\": false})")
    public Response setEnabled(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("accessKeyId") String accessKeyId, KeyStateRequest request) {
        Response denied = authorize(authorization);
        if (denied != null) {
            return denied;
        }
        if (request == null || request.enabled() == null) {
            return problem(400, "send {\"enabled\": true|false}");
        }
        if (!store.setEnabled(accessKeyId, request.enabled())) {
            return problem(404, "access key " + accessKeyId + " does not exist");
        }
        LOG.infof("Admin: access key %s %s", accessKeyId, request.enabled() ? "enabled" : "disabled");
        return Response.noContent().build();
    }

    private Response authorize(String authorization) {
        String token = config.adminToken().orElse(null);
        if (token == null || token.isBlank()) {
            return problem(403, "the admin API is disabled: set ons.gateway.admin-token (env ONS_ADMIN_TOKEN)");
        }
        String given = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring(7).trim() : "";
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            return problem(401, "send Authorization: Bearer <admin token>");
        }
        return null;
    }

    private static Response problem(int status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }

    public record NewAccountRequest(String accountId, String displayName) {
    }

    public record NewKeyRequest(String description) {
    }

    public record KeyStateRequest(Boolean enabled) {
    }

    public record KeyView(String accessKeyId, String accountId, boolean enabled, String description,
            String createdAt) {
        static KeyView of(AccessKey key) {
            return new KeyView(key.accessKeyId, key.accountId, key.enabled, key.description,
                    key.createdAt.toString());
        }
    }
}
