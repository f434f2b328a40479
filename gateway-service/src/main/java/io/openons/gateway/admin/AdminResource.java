package io.openons.gateway.admin;

import io.openons.gateway.auth.AccessKey;
import io.openons.gateway.auth.AccessKeyStore;
import io.openons.gateway.config.GatewayConfig;
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
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The admin API of the access-key store, for operators (the {@code deploy/ons-admin.sh} command uses it):
 * create accounts and keys, disable and enable keys. Every call needs {@code Authorization: Bearer <token>}
 * with {@code ons.gateway.admin-token}; without a configured token the admin API is disabled.
 */
@Path("/admin/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "Accounts and access keys")
@SecurityRequirement(name = "adminToken")
public class AdminResource {

    private static final Logger LOG = Logger.getLogger(AdminResource.class);
    private static final Pattern ACCOUNT_ID = Pattern.compile("[1-9][0-9]{5,19}");

    private final AccessKeyStore store;
    private final GatewayConfig config;

    AdminResource(AccessKeyStore store, GatewayConfig config) {
        this.store = store;
        this.config = config;
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
