package io.openons.service;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.openons.contracts.error.OnsError;
import jakarta.ws.rs.core.Response;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A parameter of the wrong JSON type ({@code "EndTime":"yesterday"}) answers {@code InvalidParameter} naming the
 * parameter, in the catalogue's error document, in every service; the framework's own mapper for this exception
 * (more specific than the JsonProcessingException mapper of {@link OperationExceptionMappers}) would answer a
 * body without Code.
 */
public class RequestBodyMapper {

    @ServerExceptionMapper
    public Response mapMismatchedInput(MismatchedInputException e) {
        String field = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                .filter(Objects::nonNull).collect(Collectors.joining("."));
        String detail = e instanceof InvalidFormatException invalid
                ? "\"" + invalid.getValue() + "\" is not " + describe(invalid.getTargetType())
                : "the value has the wrong type (" + e.getOriginalMessage() + ")";
        return OperationExceptionMappers.error(OnsError.INVALID_PARAMETER.exception(
                field.isEmpty() ? "(request body)" : field, detail));
    }

    private static String describe(Class<?> type) {
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer (times are epoch milliseconds)";
        }
        return "a " + type.getSimpleName();
    }
}
