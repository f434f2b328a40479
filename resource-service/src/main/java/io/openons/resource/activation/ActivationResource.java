package io.openons.resource.activation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.openons.contracts.operation.InternalApi;
import io.openons.resource.persistence.Constraints;
import io.openons.service.CallerContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.security.SecureRandom;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OpenOnsService. Accounts of this installation are usable as soon as they exist; activation is recorded
 * once per account and answers the same order id every time (docs/decisions/0008-open-ons-service.md).
 */
@Path(InternalApi.OPERATIONS_PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Activation")
public class ActivationResource {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CallerContext caller;

    ActivationResource(CallerContext caller) {
        this.caller = caller;
    }

    @POST
    @Path("OpenOnsService")
    @Operation(operationId = "OpenOnsService", summary = "OpenOnsService: activate the service for the account")
    public OpenResponse open() {
        String accountId = caller.accountId();
        try {
            return new OpenResponse(QuarkusTransaction.requiringNew().call(() -> activate(accountId)));
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "service_activation_pkey")) {
                return new OpenResponse(QuarkusTransaction.requiringNew().call(() -> activate(accountId)));
            }
            throw e;
        }
    }

    private static String activate(String accountId) {
        ServiceActivation existing = ServiceActivation.findById(accountId);
        if (existing != null) {
            return existing.orderId;
        }
        ServiceActivation activation = new ServiceActivation();
        activation.accountId = accountId;
        activation.orderId = Long.toString(100_000_000_000_000L + (RANDOM.nextLong() & Long.MAX_VALUE) % 900_000_000_000_000L);
        activation.activatedAt = Instant.now();
        activation.persistAndFlush();
        return activation.orderId;
    }

    public record OpenResponse(@JsonProperty("OrderId") String orderId) {
    }
}
