package io.openons.service;

import io.openons.contracts.error.OnsError;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling the internal operation API and in which region: taken from the headers the gateway sets
 * after it authenticated the request (see {@link io.openons.contracts.operation.InternalHeaders}).
 */
@RequestScoped
public class CallerContext {

    private String accountId;
    private String regionId;
    private String requestId;

    void fill(String accountId, String regionId, String requestId) {
        this.accountId = accountId;
        this.regionId = regionId;
        this.requestId = requestId;
    }

    /** The authenticated account; every operation acts within it. */
    public String accountId() {
        if (accountId == null || accountId.isBlank()) {
            throw OnsError.MISSING_PARAMETER.exception("X-Ons-Account-Id (internal header set by the gateway)");
        }
        return accountId;
    }

    /** The region the caller addressed. */
    public String regionId() {
        if (regionId == null || regionId.isBlank()) {
            throw OnsError.MISSING_PARAMETER.exception("X-Ons-Region-Id (internal header set by the gateway)");
        }
        return regionId;
    }

    public String requestId() {
        return requestId;
    }
}
