package io.openons.gateway.dialect.mqhttp;

import io.openons.contracts.error.OnsError;
import io.openons.contracts.error.OnsException;
import io.openons.contracts.messaging.AckCommand;
import io.openons.contracts.messaging.AckMode;
import io.openons.contracts.messaging.ConsumeCommand;
import io.openons.contracts.messaging.ConsumeMode;
import io.openons.contracts.messaging.PublishCommand;
import io.openons.gateway.auth.Credentials;
import io.openons.gateway.metrics.GatewayMetrics;
import io.openons.gateway.routing.MessagingRouter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The MQ HTTP messaging protocol of {@code com.aliyun.mq:mq-http-sdk} (mq-http-protocol.md): one resource,
 * {@code /topics/{topic}/messages}; POST publishes, GET consumes ({@code trans=order} ordered,
 * {@code trans=pop} half messages due for checking), DELETE acks ({@code trans=commit|rollback} resolves half
 * messages). Each request is authenticated first, then handed to message-service asynchronously, all on the
 * event loop (keys come from a short cache, or a worker on a miss): a long poll holds no gateway thread while
 * it waits.
 */
@Path("/topics/{topic}/messages")
@Tag(name = "MQ HTTP protocol", description = "The messaging protocol of the official MQ HTTP SDKs (XML)")
public class MqHttpResource {

    private static final Logger LOG = Logger.getLogger(MqHttpResource.class);
    static final String DIALECT = "mqhttp";
    static final String CONTENT_TYPE = "text/xml;charset=utf-8";
    static final String VERSION = "2015-06-06";

    private final MqHttpAuthenticator authenticator;
    private final MessagingRouter messaging;
    private final GatewayMetrics metrics;

    MqHttpResource(MqHttpAuthenticator authenticator, MessagingRouter messaging, GatewayMetrics metrics) {
        this.authenticator = authenticator;
        this.messaging = messaging;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Publish a message (201 with MessageId and MessageBodyMD5)")
    public Uni<Response> publish(@PathParam("topic") String topic, @Context HttpServerRequest http, byte[] body) {
        Call call = new Call("publish", http);
        return authenticated(http, caller -> {
            Map<String, String> query = query(http);
            MqXml.PublishedMessage message = MqXml.parseMessage(body);
            Map<String, String> properties = parseProperties(message.properties());
            PublishCommand command = new PublishCommand(query.get("ns"), topic, message.body(), message.tag(),
                    properties, clientAddress(http), null);
            return messaging.publish(caller, call.requestId, command)
                    .map(receipt -> call.ok(Response.status(201).entity(MqXml.publishResponse(receipt.msgId(),
                            receipt.bodyMd5(), receipt.receiptHandle()))));
        }, call);
    }

    @GET
    @Operation(summary = "Consume up to 16 messages, long polling up to 30 s (404 MessageNotExist when none)")
    public Uni<Response> consume(@PathParam("topic") String topic, @Context HttpServerRequest http) {
        Call call = new Call("consume", http);
        return authenticated(http, caller -> {
            Map<String, String> query = query(http);
            ConsumeMode mode = switch (query.getOrDefault("trans", "")) {
                case "" -> ConsumeMode.NORMAL;
                case "order" -> ConsumeMode.ORDERLY;
                case "pop" -> ConsumeMode.HALF;
                default -> throw OnsError.MQ_INVALID_ARGUMENT.exception("trans=" + query.get("trans")
                        + " is not a way to consume; use trans=order, trans=pop or none.");
            };
            call.operation = switch (mode) {
                case NORMAL -> "consume";
                case ORDERLY -> "consumeOrderly";
                case HALF -> "consumeHalfMessage";
            };
            String consumer = required(query, "consumer");
            int num = integer(query, "numOfMessages", null);
            int wait = integer(query, "waitseconds", 0);
            ConsumeCommand command = new ConsumeCommand(query.get("ns"), topic, consumer, num, wait,
                    query.get("tag"), mode, clientAddress(http), null, http.getHeader("User-Agent"));
            return messaging.consume(caller, call.requestId, command)
                    .map(result -> result.messages().isEmpty()
                            ? call.failed(OnsError.MQ_MESSAGE_NOT_EXIST.exception())
                            : call.ok(Response.ok(MqXml.messages(result.messages()))));
        }, call);
    }

    @DELETE
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Ack receipt handles (204), or commit/roll back a half message; 404 <Errors> for "
            + "invalid handles")
    public Uni<Response> ack(@PathParam("topic") String topic, @Context HttpServerRequest http, byte[] body) {
        Call call = new Call("ack", http);
        return authenticated(http, caller -> {
            Map<String, String> query = query(http);
            AckMode mode = switch (query.getOrDefault("trans", "")) {
                case "" -> AckMode.ACK;
                case "commit" -> AckMode.COMMIT;
                case "rollback" -> AckMode.ROLLBACK;
                default -> throw OnsError.MQ_INVALID_ARGUMENT.exception("trans=" + query.get("trans")
                        + " is not a way to acknowledge; use trans=commit, trans=rollback or none.");
            };
            call.operation = mode == AckMode.ACK ? "ack" : mode == AckMode.COMMIT ? "commit" : "rollback";
            String consumer = required(query, "consumer");
            AckCommand command = new AckCommand(query.get("ns"), topic, consumer, MqXml.parseReceiptHandles(body),
                    mode, clientAddress(http));
            return messaging.ack(caller, call.requestId, command)
                    .map(result -> result.failures().isEmpty() ? call.ok(Response.noContent())
                            : call.partial(Response.status(404).entity(MqXml.ackErrors(result.failures()))));
        }, call);
    }

    /**
     * Authenticates first (nothing of the request is interpreted before), then runs the operation; every failure
     * becomes the protocol's error answer. Runs on the event loop: the key comes from a cache or a worker.
     */
    private Uni<Response> authenticated(HttpServerRequest http, Function<Credentials, Uni<Response>> operation,
            Call call) {
        Uni<Credentials> caller;
        try {
            caller = authenticator.authenticateAsync(http);
        } catch (RuntimeException e) {
            return Uni.createFrom().item(call.failed(e));
        }
        return caller.flatMap(c -> operation.apply(c)).onFailure().recoverWithItem(call::failed);
    }

    /** The query parameters by name, form-decoded ({@code +} is a space); the first of a repeated name counts. */
    static Map<String, String> query(HttpServerRequest http) {
        Map<String, String> params = new HashMap<>();
        String raw = http.query();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw OnsError.MQ_INVALID_ARGUMENT.exception("The query string is not properly encoded: " + pair);
            }
        }
        return params;
    }

    private static String required(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("The parameter " + name + " is missing.");
        }
        return value;
    }

    private static int integer(Map<String, String> query, String name, Integer absent) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            if (absent == null) {
                throw OnsError.MQ_INVALID_ARGUMENT.exception("The parameter " + name + " is missing.");
            }
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("The parameter " + name + " is \"" + value
                    + "\", not an integer.");
        }
    }

    /** Parses {@code key:value|...}; the protocol's parsing rule, then its character rules (400 InvalidArgument). */
    static Map<String, String> parseProperties(String text) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return properties;
        }
        for (String item : text.split("\\|")) {
            if (item.isEmpty()) {
                continue;
            }
            String[] kv = item.split(":", -1);
            if (kv.length != 2 || kv[0].isEmpty() || kv[1].isEmpty()) {
                throw OnsError.MQ_INVALID_ARGUMENT.exception("The property \"" + item + "\" is not key:value with a "
                        + "non-empty key and value; names and values must not contain & \" ' < > : |.");
            }
            properties.put(kv[0], kv[1]);
        }
        return properties;
    }

    private static String clientAddress(HttpServerRequest http) {
        var address = http.remoteAddress();
        return address == null ? null : address.host() + ":" + address.port();
    }

    /** One request's bookkeeping: id, metrics, and the protocol's response headers. */
    private final class Call {
        final long started = System.nanoTime();
        final String requestId = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
        final String host;
        String operation;

        Call(String operation, HttpServerRequest http) {
            this.operation = operation;
            org.jboss.logging.MDC.put("requestId", requestId);
            String h = http.getHeader("Host");
            this.host = h == null ? "openons" : "http://" + h;
        }

        Response ok(Response.ResponseBuilder builder) {
            metrics.request(DIALECT, operation, "Success", started);
            return headers(builder).build();
        }

        Response partial(Response.ResponseBuilder builder) {
            metrics.request(DIALECT, operation, "ReceiptHandleError", started);
            return headers(builder).build();
        }

        Response failed(Throwable failure) {
            OnsException e;
            if (failure instanceof OnsException ons) {
                e = toProtocol(ons);
            } else {
                LOG.errorf(failure, "MQ HTTP %s failed", operation);
                e = OnsError.MQ_INTERNAL_ERROR.exception(requestId);
            }
            metrics.request(DIALECT, operation, e.code(), started);
            if (e.httpStatus() >= 500) {
                LOG.warnf("MQ HTTP %s: %s %s", operation, e.code(), e.getMessage());
            } else if (!e.code().equals(OnsError.MQ_MESSAGE_NOT_EXIST.code())) {
                LOG.debugf("MQ HTTP %s rejected: %s %s", operation, e.code(), e.getMessage());
            }
            return headers(Response.status(e.httpStatus())
                    .entity(MqXml.error(e.code(), e.getMessage(), requestId, host))).build();
        }

        private Response.ResponseBuilder headers(Response.ResponseBuilder builder) {
            return builder.type(CONTENT_TYPE)
                    .header("x-mq-request-id", requestId)
                    .header("X-Request-Id", requestId)
                    .header("x-mq-version", VERSION)
                    .header("Date", HttpDates.now());
        }
    }

    /** Errors of other dialects' catalogue entries in this protocol's terms (status and code). */
    static OnsException toProtocol(OnsException e) {
        return switch (e.error()) {
            case SYSTEM_ERROR -> new OnsException(OnsError.MQ_INTERNAL_ERROR, OnsError.MQ_INTERNAL_ERROR.code(),
                    e.getMessage());
            case SERVICE_UNAVAILABLE -> new OnsException(OnsError.MQ_SERVICE_UNAVAILABLE,
                    OnsError.MQ_SERVICE_UNAVAILABLE.code(), e.getMessage());
            case INVALID_PARAMETER, MISSING_PARAMETER, FIELD_CHECK_INVALID -> new OnsException(
                    OnsError.MQ_INVALID_ARGUMENT, OnsError.MQ_INVALID_ARGUMENT.code(), e.getMessage());
            default -> e;
        };
    }
}
