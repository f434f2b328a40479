package io.openons.gateway.dialect.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openons.contracts.error.OnsError;
import io.openons.contracts.error.OnsException;
import io.openons.contracts.messaging.PublishCommand;
import io.openons.gateway.auth.Credentials;
import io.openons.gateway.metrics.GatewayMetrics;
import io.openons.gateway.routing.MessagingRouter;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Huawei Cloud's REST send API for RocketMQ ({@code POST /v2/{engine}/{project_id}/instances/{instance_id}/messages},
 * huawei-send-message.md), signed with {@code SDK-HMAC-SHA256} and the suite's access keys; {@code project_id}
 * is the account id. The topic comes from the body or, when the body has none, from {@code ?topic=}; the
 * {@code TAGS} property is the tag; {@code msg_id}, {@code queue_id}, {@code queue_offset} and
 * {@code broker_name} of a request are ignored (DECISIONS.md). Errors are {@code {"error_code","error_msg"}}
 * with the request id in {@code X-Request-Id}.
 */
@Path("/v2/{engine}/{project_id}/instances/{instance_id}/messages")
@Tag(name = "REST send API", description = "Huawei Cloud RocketMQ SendMessage, SDK-HMAC-SHA256")
public class RestSendResource {

    private static final Logger LOG = Logger.getLogger(RestSendResource.class);
    static final String DIALECT = "rest";
    private static final Set<String> ENGINES = Set.of("rocketmq", "reliability");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final HuaweiAuthenticator authenticator;
    private final MessagingRouter messaging;
    private final GatewayMetrics metrics;

    RestSendResource(HuaweiAuthenticator authenticator, MessagingRouter messaging, GatewayMetrics metrics) {
        this.authenticator = authenticator;
        this.messaging = messaging;
        this.metrics = metrics;
    }

    /** The request and response body of SendMessage (the same schema). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SendMessageBody(@JsonProperty("topic") String topic, @JsonProperty("body") String body,
            @JsonProperty("property_list") List<Property> propertyList, @JsonProperty("msg_id") String msgId,
            @JsonProperty("queue_id") Integer queueId, @JsonProperty("queue_offset") Long queueOffset,
            @JsonProperty("broker_name") String brokerName) {
    }

    public record Property(@JsonProperty("name") String name, @JsonProperty("value") String value) {
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "SendMessage: publish one message (200 with msg_id, queue_id, queue_offset, broker_name)")
    public Uni<Response> send(@PathParam("engine") String engine, @PathParam("project_id") String projectId,
            @PathParam("instance_id") String instanceId, @Context HttpServerRequest http, byte[] body) {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString().replace("-", "");
        org.jboss.logging.MDC.put("requestId", requestId);
        try {
            Credentials caller = authenticator.authenticate(http, body);
            if (!ENGINES.contains(engine)) {
                throw OnsError.MQ_INVALID_REQUEST_URL.exception(http.path() + " (engine must be rocketmq or "
                        + "reliability)");
            }
            if (!projectId.equals(caller.accountId())) {
                throw OnsError.MQ_ACCESS_DENIED.exception("The project " + projectId + " is not the project of "
                        + "this access key; use the account id of the key as project_id.");
            }
            SendMessageBody request = parse(body);
            String topic = request.topic();
            if (topic == null || topic.isEmpty()) {
                List<String> fromQuery = HuaweiAuthenticator.queryOf(http.query()).get("topic");
                topic = fromQuery == null || fromQuery.isEmpty() ? null : fromQuery.get(0);
            }
            if (topic == null || topic.isEmpty()) {
                throw OnsError.MQ_INVALID_ARGUMENT.exception("The topic is missing: send it in the body (topic) or "
                        + "as ?topic=.");
            }
            String tag = null;
            Map<String, String> properties = new LinkedHashMap<>();
            if (request.propertyList() != null) {
                for (Property p : request.propertyList()) {
                    if (p == null || p.name() == null) {
                        throw OnsError.MQ_INVALID_ARGUMENT.exception("A property of property_list has no name.");
                    }
                    if (p.name().equals("TAGS")) {
                        tag = p.value();
                    } else {
                        properties.put(p.name(), p.value());
                    }
                }
            }
            String sentTopic = topic;
            var address = http.remoteAddress();
            PublishCommand command = new PublishCommand(instanceId, topic, request.body(), tag, properties,
                    address == null ? null : address.host() + ":" + address.port(), null);
            List<Property> echoed = request.propertyList() == null ? List.of() : request.propertyList();
            return messaging.publish(caller, requestId, command)
                    .map(receipt -> {
                        metrics.request(DIALECT, "SendMessage", "Success", started);
                        return json(200, requestId, new SendMessageBody(sentTopic, request.body(), echoed,
                                receipt.msgId(), receipt.partition(), receipt.offset(), receipt.brokerName()));
                    })
                    .onFailure().recoverWithItem(e -> failed(e, requestId, started));
        } catch (RuntimeException e) {
            return Uni.createFrom().item(failed(e, requestId, started));
        }
    }

    private static SendMessageBody parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("The request has no body; send {\"topic\":..,\"body\":..}.");
        }
        try {
            return JSON.readValue(body, SendMessageBody.class);
        } catch (Exception e) {
            throw OnsError.MQ_INVALID_ARGUMENT.exception("The request body is not SendMessage JSON: "
                    + e.getMessage().split("\n")[0]);
        }
    }

    private Response failed(Throwable failure, String requestId, long started) {
        OnsException e;
        if (failure instanceof OnsException ons) {
            e = ons;
        } else {
            LOG.errorf(failure, "REST SendMessage failed");
            e = OnsError.MQ_INTERNAL_ERROR.exception(requestId);
        }
        metrics.request(DIALECT, "SendMessage", e.code(), started);
        Map<String, String> error = new LinkedHashMap<>();
        error.put("error_code", e.code());
        error.put("error_msg", e.getMessage());
        return json(e.httpStatus(), requestId, error);
    }

    private static Response json(int status, String requestId, Object body) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON).header("X-Request-Id", requestId)
                    .entity(JSON.writeValueAsBytes(body)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
