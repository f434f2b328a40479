package io.openons.contracts.operation;

/**
 * Headers the gateway sets on every call of the internal operation API. Owning services trust them:
 * the internal API is reachable only from the gateway and the other services (NetworkPolicy).
 */
public final class InternalHeaders {

    /** The numeric id of the authenticated account; every operation acts within it. */
    public static final String ACCOUNT_ID = "X-Ons-Account-Id";

    /** The region the caller addressed ({@code RegionId}), or the server's default region. */
    public static final String REGION_ID = "X-Ons-Region-Id";

    /** The request id the caller sees; it is logged by every service the request touches. */
    public static final String REQUEST_ID = "X-Request-Id";

    /** The access key id that signed the request (for audit logs). */
    public static final String ACCESS_KEY_ID = "X-Ons-Access-Key-Id";

    private InternalHeaders() {
    }
}
