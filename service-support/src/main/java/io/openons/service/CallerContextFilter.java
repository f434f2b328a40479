package io.openons.service;

import io.openons.contracts.operation.InternalHeaders;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Fills the {@link CallerContext} and the logging context (request id) from the gateway's headers. */
public class CallerContextFilter {

    /** MDC key of the request id; the log format of every service prints it. */
    public static final String MDC_REQUEST_ID = "requestId";

    @Inject
    CallerContext callerContext;

    @ServerRequestFilter
    public void fillCallerContext(ContainerRequestContext request) {
        String requestId = request.getHeaderString(InternalHeaders.REQUEST_ID);
        callerContext.fill(request.getHeaderString(InternalHeaders.ACCOUNT_ID),
                request.getHeaderString(InternalHeaders.REGION_ID), requestId);
        if (requestId != null) {
            MDC.put(MDC_REQUEST_ID, requestId);
        }
    }
}
