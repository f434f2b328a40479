package io.openons.resource;

import static io.openons.resource.InternalApiClient.call;
import static io.openons.resource.InternalApiClient.createInstance;
import static io.openons.resource.InternalApiClient.newAccount;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class TagOperationsTest {

    private static Map<String, String> tag(String key, String value) {
        return Map.of("Key", key, "Value", value);
    }

    @Test
    void tagsTopicsAndFiltersTheListByAllTags() {
        String account = newAccount();
        String instance = createInstance(account, "tagged");
        for (String t : List.of("t-a", "t-b", "t-c")) {
            call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", t, "MessageType", 0))
                    .statusCode(204);
        }
        call(account, "TagResources", Map.of("ResourceType", "TOPIC", "InstanceId", instance,
                "ResourceId", List.of("t-a", "t-b"), "Tag", List.of(tag("env", "prod")))).statusCode(204);
        call(account, "TagResources", Map.of("ResourceType", "TOPIC", "InstanceId", instance,
                "ResourceId", List.of("t-a"), "Tag", List.of(tag("team", "pay")))).statusCode(204);

        call(account, "OnsTopicList", Map.of("InstanceId", instance, "Tag", List.of(tag("env", "prod"))))
                .statusCode(200).body("Data.PublishInfoDo.Topic", contains("t-a", "t-b"));
        call(account, "OnsTopicList", Map.of("InstanceId", instance,
                "Tag", List.of(tag("env", "prod"), tag("team", "pay"))))
                .statusCode(200).body("Data.PublishInfoDo.Topic", contains("t-a"));
        call(account, "OnsTopicList", Map.of("InstanceId", instance, "Tag", List.of(Map.of("Key", "team"))))
                .statusCode(200).body("Data.PublishInfoDo.Topic", contains("t-a"));

        call(account, "ListTagResources", Map.of("ResourceType", "TOPIC", "InstanceId", instance,
                "ResourceId", List.of("t-a"))).statusCode(200)
                .body("TagResources.TagResource.TagKey", containsInAnyOrder("env", "team"))
                .body("TagResources.TagResource[0].ResourceType", equalTo("ALIYUN::MQ::TOPIC"))
                .body("TagResources.TagResource[0].InstanceId", equalTo(instance))
                .body("NextToken", nullValue());
        call(account, "ListTagResources", Map.of("ResourceType", "TOPIC", "InstanceId", instance,
                "Tag", List.of(tag("env", "prod")))).statusCode(200)
                .body("TagResources.TagResource.ResourceId", containsInAnyOrder("t-a", "t-a", "t-b"));

        call(account, "UntagResources", Map.of("ResourceType", "TOPIC", "InstanceId", instance,
                "ResourceId", List.of("t-a"), "TagKey", List.of("env"))).statusCode(204);
        call(account, "ListTagResources", Map.of("ResourceType", "TOPIC", "InstanceId", instance,
                "ResourceId", List.of("t-a"))).statusCode(200)
                .body("TagResources.TagResource.TagKey", contains("team"));
        call(account, "UntagResources", Map.of("ResourceType", "TOPIC", "InstanceId", instance,
                "ResourceId", List.of("t-a", "t-b"), "All", true)).statusCode(204);
        call(account, "ListTagResources", Map.of("ResourceType", "TOPIC", "InstanceId", instance))
                .statusCode(200).body("TagResources.TagResource", empty());
    }

    @Test
    void enforcesTagRules() {
        String account = newAccount();
        String instance = createInstance(account, "tag-rules");
        Map<String, Object> base = Map.of("ResourceType", "INSTANCE", "ResourceId", List.of(instance));
        for (String bad : List.of("aliyun-x", "acs:x", "see http://x", "")) {
            Map<String, Object> p = new java.util.HashMap<>(base);
            p.put("Tag", List.of(tag(bad, "v")));
            call(account, "TagResources", p).statusCode(400).body("Code", equalTo("BIZ_FIELD_CHECK_INVALID"));
        }
        Map<String, Object> tooLong = new java.util.HashMap<>(base);
        tooLong.put("Tag", List.of(tag("k".repeat(129), "v")));
        call(account, "TagResources", tooLong).statusCode(400).body("Message", containsString("too long"));
        Map<String, Object> emptyValue = new java.util.HashMap<>(base);
        emptyValue.put("Tag", List.of(tag("k", "")));
        call(account, "TagResources", emptyValue).statusCode(204);
        call(account, "TagResources", Map.of("ResourceType", "QUEUE", "ResourceId", List.of(instance),
                "Tag", List.of(tag("k", "v")))).statusCode(400).body("Message", containsString("ResourceType"));
        call(account, "TagResources", Map.of("ResourceType", "TOPIC", "ResourceId", List.of("t"),
                "Tag", List.of(tag("k", "v")))).statusCode(400).body("Code", equalTo("MissingParameter"));
    }

    @Test
    void allowsAtMostTwentyTagsPerResourceAndChangesNothingOnRefusal() {
        String account = newAccount();
        String instance = createInstance(account, "many-tags");
        List<Map<String, String>> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(tag("k" + i, "v"));
        }
        call(account, "TagResources", Map.of("ResourceType", "INSTANCE", "ResourceId", List.of(instance),
                "Tag", twenty)).statusCode(204);
        call(account, "TagResources", Map.of("ResourceType", "INSTANCE", "ResourceId", List.of(instance),
                "Tag", List.of(tag("k0", "replaced")))).statusCode(204);
        call(account, "TagResources", Map.of("ResourceType", "INSTANCE", "ResourceId", List.of(instance),
                "Tag", List.of(tag("k20", "v")))).statusCode(400)
                .body("Code", equalTo("BIZ_TAG_LIMIT_EXCEEDED"));
        call(account, "ListTagResources", Map.of("ResourceType", "INSTANCE", "ResourceId", List.of(instance)))
                .statusCode(200).body("TagResources.TagResource", hasSize(20));
    }

    @Test
    void pagesWithNextToken() {
        String account = newAccount();
        String instance = createInstance(account, "paged");
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String g = "GID_g" + i;
            groups.add(g);
            call(account, "OnsGroupCreate", Map.of("InstanceId", instance, "GroupId", g)).statusCode(204);
        }
        call(account, "TagResources", Map.of("ResourceType", "GROUP", "InstanceId", instance, "ResourceId", groups,
                "Tag", List.of(tag("a", "1"), tag("b", "2")))).statusCode(204);
        String token = call(account, "ListTagResources", Map.of("ResourceType", "GROUP", "InstanceId", instance))
                .statusCode(200).body("TagResources.TagResource", hasSize(50)).body("NextToken", notNullValue())
                .extract().path("NextToken");
        call(account, "ListTagResources", Map.of("ResourceType", "GROUP", "InstanceId", instance,
                "NextToken", token)).statusCode(200).body("TagResources.TagResource", hasSize(10))
                .body("NextToken", nullValue());
    }

    @Test
    void cannotTagAnotherAccountsResources() {
        String owner = newAccount();
        String instance = createInstance(owner, "not-yours");
        String intruder = newAccount();
        call(intruder, "TagResources", Map.of("ResourceType", "INSTANCE", "ResourceId", List.of(instance),
                "Tag", List.of(tag("k", "v")))).statusCode(404).body("Code", equalTo("INSTANCE_NOT_FOUND"));
        call(intruder, "ListTagResources", Map.of("ResourceType", "INSTANCE", "ResourceId", List.of(instance)))
                .statusCode(200).body("TagResources.TagResource", empty());
    }
}
