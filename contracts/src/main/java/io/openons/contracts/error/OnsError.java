package io.openons.contracts.error;

/**
 * The error catalogue: every error code the suite answers with, in any dialect, with its HTTP status,
 * its message template and the fix we recommend. Message templates use {@link String#format} with the
 * arguments given where the error is raised, so a message always says what to fix.
 *
 * <p>Codes and fixes follow the ONS OpenAPI reference (§10 of the catalog) and the error codes the official
 * SDKs and tools (Terraform's alicloud provider) depend on; statuses are ours where the documents are
 * silent (see docs/decisions/0004-error-codes-and-statuses.md).
 */
public enum OnsError {

    // ---- Signature, authentication and common parameters (RPC dialect) ----
    MISSING_COMMON_PARAMETER("Missing%s", 400,
            "The input parameter \"%s\" that is mandatory for processing this request is not supplied.",
            "Send the common parameter on every request (see the signature section of the API reference)."),
    MISSING_PARAMETER("MissingParameter", 400,
            "The input parameter \"%s\" that is mandatory for processing this request is not supplied.",
            "Add the parameter to the request."),
    INVALID_PARAMETER("InvalidParameter", 400,
            "The parameter \"%s\" is invalid: %s",
            "Check the parameter against the API reference."),
    INVALID_ACTION("InvalidAction.NotFound", 404,
            "Specified api \"%s\" is not found, please check your url and method.",
            "Use one of the Actions of the ONS OpenAPI version 2019-02-14."),
    INVALID_VERSION("InvalidVersion", 400,
            "Specified parameter Version \"%s\" is not valid; this server implements version 2019-02-14.",
            "Send Version=2019-02-14."),
    UNSUPPORTED_SIGNATURE_METHOD("UnsupportedSignatureMethod", 400,
            "The signature method \"%s\" is not supported; use HMAC-SHA1.",
            "Send SignatureMethod=HMAC-SHA1."),
    UNSUPPORTED_SIGNATURE_VERSION("UnsupportedSignatureVersion", 400,
            "The signature version \"%s\" is not supported; use 1.0.",
            "Send SignatureVersion=1.0."),
    INVALID_TIMESTAMP_FORMAT("InvalidTimeStamp.Format", 400,
            "Specified time stamp \"%s\" does not match the format yyyy-MM-ddTHH:mm:ssZ (UTC).",
            "Send Timestamp in ISO 8601 UTC, for example 2026-01-01T12:00:00Z."),
    INVALID_TIMESTAMP_EXPIRED("InvalidTimeStamp.Expired", 400,
            "Specified time stamp \"%s\" is outside the allowed window of %d minutes around the server time %s.",
            "Synchronise the client clock (NTP) and send the current UTC time."),
    INVALID_ACCESS_KEY_NOT_FOUND("InvalidAccessKeyId.NotFound", 404,
            "Specified access key \"%s\" is not found.",
            "Check the AccessKeyId; create a key with the admin command if needed."),
    INVALID_ACCESS_KEY_INACTIVE("InvalidAccessKeyId.Inactive", 400,
            "Specified access key \"%s\" is disabled.",
            "Use an enabled access key, or enable this one with the admin command."),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 400,
            "Specified signature is not matched with our calculation. server string to sign is:%s",
            "Check the AccessKeySecret and the signing procedure; compare your string to sign with the server's."),
    SIGNATURE_NONCE_USED("SignatureNonceUsed", 400,
            "Specified signature nonce \"%s\" was used already.",
            "Send a new random SignatureNonce (a UUID) on every request."),
    UNSUPPORTED_HTTP_METHOD("UnsupportedHTTPMethod", 400,
            "The HTTP method \"%s\" is not supported; use GET or POST.",
            "Send the request with GET or POST."),
    ACTION_NOT_AVAILABLE("ONS_SERVICE_UNSUPPORTED", 501,
            "The Action \"%s\" is not supported by this server yet.",
            "See the compatibility table in the README."),

    // ---- Business errors of the ONS OpenAPI (§10) and those existing tools depend on ----
    SYSTEM_ERROR("ONS_SYSTEM_ERROR", 500,
            "The server failed to process the request (request id %s). Nothing was changed partially; retry later.",
            "Retry; if it persists, report the request id to the operators."),
    SERVICE_UNAVAILABLE("ONS_SERVICE_UNAVAILABLE", 503,
            "A backend of the server is unavailable: %s. Retry later.",
            "Retry later."),
    FIELD_CHECK_INVALID("BIZ_FIELD_CHECK_INVALID", 400,
            "%s",
            "Check each parameter against the API manual."),
    REGION_NOT_FOUND("BIZ_REGION_NOT_FOUND", 404,
            "The region \"%s\" is not served here; call OnsRegionList for the regions.",
            "Check the RegionId parameter."),
    INSTANCE_NOT_FOUND("INSTANCE_NOT_FOUND", 404,
            "The instance \"%s\" does not exist in region %s.",
            "Check the InstanceId; call OnsInstanceInServiceList for your instances."),
    INSTANCE_NOT_EMPTY("INSTANCE_NOT_EMPTY", 409,
            "The instance \"%s\" still holds %d topic(s) and %d group(s); delete them first.",
            "Delete the instance's topics and Group IDs, then retry."),
    INSTANCE_LIMIT_EXCEEDED("BIZ_INSTANCE_LIMIT_EXCEEDED", 409,
            "The account already has %d instance(s) in region %s, the maximum allowed.",
            "Delete an unused instance, or ask the operators to raise the limit."),
    INSTANCE_NAME_EXISTED("BIZ_INSTANCE_NAME_EXISTED", 409,
            "An instance named \"%s\" already exists in region %s.",
            "Choose another InstanceName."),
    RESOURCE_OWNER_ERROR("AUTH_RESOURCE_OWNER_ERROR", 404,
            "The instance \"%s\" does not exist or does not belong to you.",
            "Check the InstanceId; call OnsInstanceInServiceList for your instances."),
    TOPIC_NOT_FOUND("BIZ_TOPIC_NOT_FOUND", 404,
            "The topic \"%s\" does not exist in instance %s.",
            "Check that the Topic is valid and was created."),
    TOPIC_EXISTED("BIZ_TOPIC_EXISTED", 409,
            "The topic \"%s\" already exists in instance %s.",
            "Retry with another Topic name."),
    SUBSCRIPTION_NOT_FOUND("BIZ_SUBSCRIPTION_NOT_FOUND", 404,
            "The Group ID \"%s\" does not exist in instance %s.",
            "Check that the GID was created, or the query conditions."),
    SUBSCRIPTION_EXISTED("BIZ_SUBSCRIPTION_EXISTED", 409,
            "The Group ID \"%s\" already exists in instance %s.",
            "Retry with another GID name."),
    PUBLISH_INFO_NOT_FOUND("BIZ_PUBLISH_INFO_NOT_FOUND", 404,
            "The Group ID \"%s\" was not found: %s",
            "Check the GID exists, or the request conditions."),
    CONSUMER_NOT_ONLINE("BIZ_CONSUMER_NOT_ONLINE", 409,
            "%s",
            "Make sure the consumer is online, then retry."),
    /** Not in the reference: a Kafka-native group's offsets cannot be reset while its consumers run. */
    CONSUMER_ONLINE("BIZ_CONSUMER_ONLINE", 409,
            "%s",
            "Stop the group's consumers, reset the offset, then start them again."),
    NO_MESSAGE("BIZ_NO_MESSAGE", 404,
            "%s",
            "Check the conditions and that messages were sent in the range."),
    TRACE_QUERY_NOT_FOUND("BIZ_TRACE_QUERY_NOT_FOUND", 404,
            "No trace query \"%s\" exists for you in this region; a query is kept for %s after it was created.",
            "Create a query with OnsTraceQueryByMsgId or OnsTraceQueryByMsgKey and pass the QueryId it returns."),
    TOO_MANY_TAGS("BIZ_TAG_LIMIT_EXCEEDED", 400,
            "The resource \"%s\" would carry %d tags; at most %d tags are allowed per resource.",
            "Remove tags you no longer need, then retry."),

    // ---- Data plane: the MQ HTTP messaging protocol (mq-http-protocol.md §3, §12). The statuses are the
    // protocol's; the official mq-http-sdk maps exactly these codes (MessageNotExist -> "no message"). ----
    MQ_MISSING_AUTHORIZATION("MissingAuthorizationHeader", 400,
            "The request carries no Authorization header; sign it as \"MQ AccessKeyId:Signature\".",
            "Use the official MQ HTTP SDK or sign the request as the protocol documents."),
    MQ_INVALID_AUTHORIZATION("InvalidAuthorizationHeader", 400,
            "The Authorization header \"%s\" is not of the form \"MQ AccessKeyId:Signature\".",
            "Send Authorization: MQ <AccessKeyId>:<Signature>."),
    MQ_INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403,
            "The access key \"%s\" does not exist.",
            "Check the AccessKeyId."),
    MQ_ACCESS_KEY_DISABLED("AccessDenied", 403,
            "The access key \"%s\" is disabled.",
            "Use an enabled access key."),
    MQ_INVALID_DATE("InvalidDateHeader", 400,
            "The Date header \"%s\" is missing or not an RFC 1123 date (e.g. Mon, 02 Jan 2023 15:04:05 GMT).",
            "Send the Date header in RFC 1123 format, GMT."),
    MQ_TIME_EXPIRED("TimeExpired", 408,
            "The http request you sent is expired: its Date %s differs from the server time %s by more than %d minutes.",
            "Synchronise the client clock (NTP)."),
    MQ_SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403,
            "The request signature we calculated does not match the signature you provided. Server string to sign: %s",
            "Check the AccessKeySecret and the string to sign."),
    MQ_INVALID_REQUEST_URL("InvalidRequestURL", 400,
            "The request URL \"%s\" is not a resource of this protocol; use /topics/{topic}/messages.",
            "Check the endpoint and the topic name."),
    MQ_INVALID_ARGUMENT("InvalidArgument", 400,
            "%s",
            "Fix the parameter as the message says."),
    MQ_MALFORMED_XML("MalformedXML", 400,
            "The request body is not well-formed XML of this protocol: %s",
            "Send the XML body the protocol documents (the official SDKs do)."),
    MQ_TOPIC_NOT_EXIST("TopicNotExist", 404,
            "The topic \"%s\" does not exist%s.",
            "Check the topic name and the instance (ns); create the topic with OnsTopicCreate."),
    MQ_SUBSCRIPTION_NOT_EXIST("SubscriptionNotExist", 404,
            "%s",
            "Check the Group ID and the instance (ns); create it with OnsGroupCreate (GroupType http)."),
    MQ_MESSAGE_NOT_EXIST("MessageNotExist", 404,
            "Message not exist.",
            "No message is consumable now; poll again (use waitseconds for long polling)."),
    MQ_RECEIPT_HANDLE_ERROR("ReceiptHandleError", 400,
            "The receipt handle you provide is not valid.",
            "Use the handle of the latest delivery before its NextConsumeTime; a handle works once."),
    MQ_ACCESS_DENIED("AccessDenied", 403,
            "%s",
            "Check the topic's permission (OnsTopicUpdate) and the group's read switch (OnsGroupConsumerUpdate)."),
    MQ_SERVICE_UNAVAILABLE("ServiceUnavailable", 503,
            "The messaging backend is unavailable: %s. Retry later.",
            "Retry later."),
    MQ_INTERNAL_ERROR("InternalError", 500,
            "The server failed to process the request (request id %s); retry.",
            "Retry; if it persists, report the request id to the operators."),

    // ---- Data plane: Huawei Cloud REST send API (huawei-send-message.md, huawei-apig-signing.md) ----
    APIG_SIGNATURE_FAILED("APIGW.0301", 401,
            "Incorrect IAM authentication information: %s",
            "Sign the request with SDK-HMAC-SHA256 using a valid AK/SK (the Huawei Cloud SDK core does)."),
    ;

    private final String code;
    private final int httpStatus;
    private final String messageTemplate;
    private final String recommend;

    OnsError(String code, int httpStatus, String messageTemplate, String recommend) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.messageTemplate = messageTemplate;
        this.recommend = recommend;
    }

    /** The code as the client sees it; for {@link #MISSING_COMMON_PARAMETER} the parameter name completes it. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String messageTemplate() {
        return messageTemplate;
    }

    public String recommend() {
        return recommend;
    }

    /** Builds the exception for this entry; the arguments fill the message template. */
    public OnsException exception(Object... args) {
        return new OnsException(this, args);
    }

    /** Finds the catalogue entry of a code as it appears on the wire, or null. */
    public static OnsError fromCode(String code) {
        if (code == null) {
            return null;
        }
        for (OnsError e : values()) {
            if (e.code.equals(code)) {
                return e;
            }
        }
        if (code.startsWith("Missing") && !code.equals("MissingParameter")) {
            return MISSING_COMMON_PARAMETER;
        }
        return null;
    }
}
