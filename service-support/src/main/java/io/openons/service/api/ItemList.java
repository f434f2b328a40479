package io.openons.service.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * An array of the API wrapped in its item-name object, as the official SDK reads it:
 * {@code ItemList.of("PublishInfoDo", topics)} is written {@code {"PublishInfoDo":[...]}} (and
 * {@code <PublishInfoDo>} elements in XML). The gateway unwraps it for the five Actions whose SDK classes
 * read bare arrays.
 */
public record ItemList<T>(String itemName, List<T> items) {

    public static <T> ItemList<T> of(String itemName, List<T> items) {
        return new ItemList<>(itemName, List.copyOf(items));
    }

    @JsonValue
    public Map<String, List<T>> json() {
        return Map.of(itemName, items);
    }
}
