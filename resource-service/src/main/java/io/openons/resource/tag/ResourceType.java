package io.openons.resource.tag;

import io.openons.resource.validation.ResourceRules;

/** The kinds of resources that carry tags, with the names the tag Actions use for them. */
public enum ResourceType {
    INSTANCE("ALIYUN::MQ::INSTANCE"),
    TOPIC("ALIYUN::MQ::TOPIC"),
    GROUP("ALIYUN::MQ::GROUP");

    private final String apiName;

    ResourceType(String apiName) {
        this.apiName = apiName;
    }

    /** The name ListTagResources answers with. */
    public String apiName() {
        return apiName;
    }

    /** Parses the request value ({@code INSTANCE}, {@code TOPIC}, {@code GROUP}; the API names too). */
    public static ResourceType parse(String value) {
        for (ResourceType type : values()) {
            if (type.name().equals(value) || type.apiName.equals(value)) {
                return type;
            }
        }
        throw ResourceRules.invalid("ResourceType \"%s\" is invalid: use INSTANCE, TOPIC or GROUP.", value);
    }
}
