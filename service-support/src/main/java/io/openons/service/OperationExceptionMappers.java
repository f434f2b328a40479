package io.openons.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.openons.contracts.error.ErrorBody;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.error.OnsException;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where a service turns failures into error documents of the internal operation API:
 * catalogue errors keep their code and status; anything unexpected becomes {@code ONS_SYSTEM_ERROR}
 * (logged with its stack trace here, never shown to the caller).
 */
public class OperationExceptionMappers {

    private static final Logger LOG = Logger.getLogger(OperationExceptionMappers.class);

    @Inject
    CallerContext callerContext;

    @ServerExceptionMapper
    public Response mapOnsException(OnsException e) {
        if (e.httpStatus() >= 500) {
            LOG.warnf("%s: %s", e.code(), e.getMessage());
        }
        return error(e);
    }

    @ServerExceptionMapper
    public Response mapJsonError(JsonProcessingException e) {
        return error(OnsError.INVALID_PARAMETER.exception("(request body)", e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response mapNotFound(NotFoundException e) {
        return error(OnsError.INVALID_ACTION.exception("(no such internal path)"));
    }

    @ServerExceptionMapper
    public Response mapWebApplicationException(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status < 500) {
            return error(OnsError.INVALID_PARAMETER.exception("(request)", e.getMessage()));
        }
        LOG.error("Request failed", e);
        return error(OnsError.SYSTEM_ERROR.exception(callerContext.requestId()));
    }

    @ServerExceptionMapper
    public Response mapUnexpected(Throwable e) {
        LOG.error("Request failed unexpectedly", e);
        return error(OnsError.SYSTEM_ERROR.exception(callerContext.requestId()));
    }

    /**
     * A failure as the catalogue error its caller gets, for answers that carry several outcomes (a publish batch):
     * the same rules as the mappers above — catalogue errors as they are, anything else {@code ONS_SYSTEM_ERROR}
     * with its stack trace logged here.
     */
    public static OnsException asCatalogueError(Throwable failure, String requestId) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (e instanceof OnsException ons) {
            if (ons.httpStatus() >= 500) {
                LOG.warnf("%s: %s", ons.code(), ons.getMessage());
            }
            return ons;
        }
        LOG.error("Request failed unexpectedly", e);
        return OnsError.SYSTEM_ERROR.exception(requestId);
    }

    public static Response error(OnsException e) {
        return Response.status(e.httpStatus()).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(e)).build();
    }
}
