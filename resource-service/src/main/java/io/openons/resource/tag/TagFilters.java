package io.openons.resource.tag;

import io.openons.resource.validation.ResourceRules;
import io.openons.service.api.TagDo;
import java.util.List;

/** The optional {@code Tag.N} filters of the list Actions: several tags combine with AND. */
public final class TagFilters {

    private TagFilters() {
    }

    /** Validates the filters; an absent value stays null and matches any value of its key. */
    public static List<TagDo> of(List<TagDo> tags) {
        if (tags == null || tags.isEmpty()) {
            return List.of();
        }
        return tags.stream().map(t -> new TagDo(ResourceRules.tagKey(t.key()),
                t.value() == null ? null : ResourceRules.tagValue(t.value()))).toList();
    }
}
