package io.openons.gateway.openapi;

import io.openons.contracts.operation.Operation;
import io.openons.contracts.operation.ParamSpec;
import io.openons.gateway.dialect.rpc.RpcAuthenticatorParameters;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Describes the public RPC dialect in the gateway's OpenAPI document (and Swagger UI): one entry per Action of
 * the operation model, with its common and Action parameters, its owning service and whether it is available,
 * and the documented answer and error envelope. Generated from {@link Operation}, so it cannot drift from what
 * the gateway accepts. Paths are written {@code /?Action=Name}, the way the Action is addressed.
 */
public class PublicApiDocument implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().addSchema("ErrorEnvelope", OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("Error answer: top-level fields in JSON, under <Error> in XML")
                .addProperty("RequestId", stringSchema("Unique id of the request"))
                .addProperty("HostId", stringSchema("The host the caller addressed"))
                .addProperty("Code", stringSchema("Error code, e.g. SignatureDoesNotMatch, BIZ_TOPIC_NOT_FOUND"))
                .addProperty("Message", stringSchema("What went wrong and what to fix"))
                .addProperty("Recommend", stringSchema("How to fix it")));
        for (Operation op : Operation.values()) {
            List<Parameter> parameters = new ArrayList<>();
            parameters.add(OASFactory.createParameter().name("Action").in(Parameter.In.QUERY).required(true)
                    .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                            .enumeration(List.of(op.action())))
                    .description("The Action"));
            for (String common : RpcAuthenticatorParameters.COMMON) {
                if (!common.equals("Action")) {
                    parameters.add(OASFactory.createParameter().name(common).in(Parameter.In.QUERY)
                            .required(RpcAuthenticatorParameters.REQUIRED.contains(common))
                            .schema(stringSchema(null)).description(RpcAuthenticatorParameters.describe(common)));
                }
            }
            for (ParamSpec spec : op.params()) {
                parameters.addAll(wireParameters(spec));
            }
            org.eclipse.microprofile.openapi.models.Operation doc = OASFactory.createOperation()
                    .operationId(op.action())
                    .summary(op.action() + (op.available() ? "" : " (not available yet)"))
                    .description("Owned by " + op.owner().serviceName() + ". "
                            + (op.bareArrays() ? "Arrays in the JSON answer are bare (as the SDK reads them). "
                                    : "Arrays are wrapped in their item-name object, e.g. Data.PublishInfoDo[]. ")
                            + "Answer format from Format=JSON|XML (XML by default); the XML root is <"
                            + op.action() + "Response>.")
                    .tags(List.of("ONS OpenAPI 2019-02-14: " + op.owner().serviceName()))
                    .parameters(parameters)
                    .responses(responses(op));
            PathItem item = OASFactory.createPathItem().POST(doc).GET(doc);
            openAPI.getPaths().addPathItem("/?Action=" + op.action(), item);
        }
    }

    private static List<Parameter> wireParameters(ParamSpec spec) {
        return switch (spec.type()) {
            case REPEAT_LIST -> List.of(OASFactory.createParameter().name(spec.name() + ".N").in(Parameter.In.QUERY)
                    .required(spec.required()).schema(stringSchema(null))
                    .description("Repeat list: " + spec.name() + ".1, " + spec.name() + ".2, ..."));
            case TAG_LIST -> List.of(
                    OASFactory.createParameter().name(spec.name() + ".N.Key").in(Parameter.In.QUERY)
                            .required(spec.required()).schema(stringSchema(null))
                            .description("Tag keys, N = 1..20"),
                    OASFactory.createParameter().name(spec.name() + ".N.Value").in(Parameter.In.QUERY)
                            .required(false).schema(stringSchema(null))
                            .description("Tag values, N = 1..20 (may be empty)"));
            default -> List.of(OASFactory.createParameter().name(spec.name()).in(Parameter.In.QUERY)
                    .required(spec.required()).schema(OASFactory.createSchema().type(List.of(switch (spec.type()) {
                        case INTEGER, LONG -> Schema.SchemaType.INTEGER;
                        case BOOLEAN -> Schema.SchemaType.BOOLEAN;
                        default -> Schema.SchemaType.STRING;
                    }))));
        };
    }

    private static APIResponses responses(Operation op) {
        return OASFactory.createAPIResponses()
                .addAPIResponse("200", OASFactory.createAPIResponse()
                        .description("Success: RequestId first, then the Action's fields "
                                + "(shapes in the specification, ons-sdk-response-shapes.md)")
                        .content(OASFactory.createContent()
                                .addMediaType("application/json", OASFactory.createMediaType()
                                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                                                .addProperty("RequestId", stringSchema("Unique id of the request"))))
                                .addMediaType("text/xml", OASFactory.createMediaType())))
                .addAPIResponse("400", errorResponse("Invalid request: missing or invalid parameter, signature, "
                        + "timestamp or nonce rejection, business rule"))
                .addAPIResponse("404", errorResponse("Unknown access key, Action or resource"))
                .addAPIResponse("409", errorResponse("Conflict: resource exists, instance not empty, limit reached"))
                .addAPIResponse("501", errorResponse("The Action is not available on this server yet"))
                .addAPIResponse("503", errorResponse("A backend does not answer; retry"));
    }

    private static org.eclipse.microprofile.openapi.models.responses.APIResponse errorResponse(String description) {
        return OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("ErrorEnvelope"))));
    }

    private static Schema stringSchema(String description) {
        Schema schema = OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
        return description == null ? schema : schema.description(description);
    }
}
