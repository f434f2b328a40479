package io.openons.resource;

import static io.openons.resource.InternalApiClient.call;
import static io.openons.resource.InternalApiClient.createInstance;
import static io.openons.resource.InternalApiClient.newAccount;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class TopicAndGroupOperationsTest {

    @Inject
    Admin admin;

    private Set<String> kafkaTopics() throws Exception {
        return admin.listTopics().names().get(10, TimeUnit.SECONDS);
    }

    @Test
    void topicCreateProvisionsItsKafkaTopicAndDeleteRemovesIt() throws Exception {
        String account = newAccount();
        String instance = createInstance(account, "kafka-backed");
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "orders", "MessageType", 0,
                "Remark", "order events")).statusCode(204);
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "fifo", "MessageType", 2))
                .statusCode(204);

        assertThat(kafkaTopics(), hasItem(instance + ".orders"));
        TopicDescription global = admin.describeTopics(List.of(instance + ".fifo")).allTopicNames()
                .get(10, TimeUnit.SECONDS).get(instance + ".fifo");
        assertEquals(1, global.partitions().size(), "a globally ordered topic lives in one partition");

        call(account, "OnsTopicList", Map.of("InstanceId", instance)).statusCode(200)
                .body("Data.PublishInfoDo.Topic", contains("orders", "fifo"))
                .body("Data.PublishInfoDo[0].MessageType", equalTo(0))
                .body("Data.PublishInfoDo[0].Owner", equalTo(account))
                .body("Data.PublishInfoDo[0].Remark", equalTo("order events"))
                .body("Data.PublishInfoDo[1].MessageType", equalTo(2));

        call(account, "OnsTopicDelete", Map.of("InstanceId", instance, "Topic", "orders")).statusCode(204);
        assertThat(kafkaTopics(), not(hasItem(instance + ".orders")));
        call(account, "OnsTopicList", Map.of("InstanceId", instance, "Topic", "orders")).statusCode(200)
                .body("Data.PublishInfoDo", empty());
        // A deleted topic may be created again.
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "orders", "MessageType", 1))
                .statusCode(204);
        assertThat(kafkaTopics(), hasItem(instance + ".orders"));
    }

    @Test
    void refusesDuplicateAndInvalidTopics() {
        String account = newAccount();
        String instance = createInstance(account, "topic-rules");
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "t-1", "MessageType", 0))
                .statusCode(204);
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "t-1", "MessageType", 0))
                .statusCode(409).body("Code", equalTo("BIZ_TOPIC_EXISTED"));
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "GID_topic", "MessageType", 0))
                .statusCode(400).body("Message", containsString("must not start with CID or GID"));
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "bad.name", "MessageType", 0))
                .statusCode(400).body("Code", equalTo("BIZ_FIELD_CHECK_INVALID"));
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "t-3", "MessageType", 3))
                .statusCode(400).body("Message", containsString("MessageType 3 is invalid"));
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "t-4", "MessageType", 0,
                "Remark", "x".repeat(300))).statusCode(400).body("Message", containsString("Remark is too long"));
    }

    @Test
    void updatesPermWithTheDocumentedValuesOnly() {
        String account = newAccount();
        String instance = createInstance(account, "perm");
        call(account, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "p-1", "MessageType", 0))
                .statusCode(204);
        call(account, "OnsTopicUpdate", Map.of("InstanceId", instance, "Topic", "p-1", "Perm", 4)).statusCode(204);
        call(account, "OnsTopicUpdate", Map.of("InstanceId", instance, "Topic", "p-1", "Perm", 5)).statusCode(400)
                .body("Message", containsString("Perm 5 is invalid"));
        call(account, "OnsTopicUpdate", Map.of("InstanceId", instance, "Topic", "nope", "Perm", 6)).statusCode(404)
                .body("Code", equalTo("BIZ_TOPIC_NOT_FOUND"));
    }

    @Test
    void groupsFollowTheDocumentedRules() {
        String account = newAccount();
        String instance = createInstance(account, "groups");
        call(account, "OnsGroupCreate", Map.of("InstanceId", instance, "GroupId", "GID_orders")).statusCode(204);
        call(account, "OnsGroupCreate", Map.of("InstanceId", instance, "GroupId", "GID-web", "GroupType", "http",
                "Remark", "web")).statusCode(204);
        call(account, "OnsGroupCreate", Map.of("InstanceId", instance, "GroupId", "GID_orders")).statusCode(409)
                .body("Code", equalTo("BIZ_SUBSCRIPTION_EXISTED"));
        call(account, "OnsGroupCreate", Map.of("InstanceId", instance, "GroupId", "orders")).statusCode(400)
                .body("Message", containsString("must start with GID_ or GID-"));
        call(account, "OnsGroupCreate", Map.of("InstanceId", instance, "GroupId", "GID_x", "GroupType", "udp"))
                .statusCode(400).body("Message", containsString("use tcp or http"));

        call(account, "OnsGroupList", Map.of("InstanceId", instance)).statusCode(200)
                .body("Data.SubscribeInfoDo.GroupId", contains("GID_orders", "GID-web"))
                .body("Data.SubscribeInfoDo.GroupType", contains("tcp", "http"));
        call(account, "OnsGroupList", Map.of("InstanceId", instance, "GroupType", "http")).statusCode(200)
                .body("Data.SubscribeInfoDo.GroupId", contains("GID-web"));
        call(account, "OnsGroupConsumerUpdate", Map.of("InstanceId", instance, "GroupId", "GID_orders",
                "ReadEnable", false)).statusCode(204);
        call(account, "OnsGroupDelete", Map.of("InstanceId", instance, "GroupId", "GID_nope")).statusCode(404)
                .body("Code", equalTo("BIZ_SUBSCRIPTION_NOT_FOUND"));
    }

    @Test
    void anotherAccountsInstanceIsAnOwnerErrorForTopicsAndGroups() {
        String owner = newAccount();
        String instance = createInstance(owner, "mine");
        call(owner, "OnsTopicCreate", Map.of("InstanceId", instance, "Topic", "secret", "MessageType", 0))
                .statusCode(204);
        String intruder = newAccount();
        for (var request : List.of(
                Map.of("action", "OnsTopicList", "params", Map.of("InstanceId", instance)),
                Map.of("action", "OnsTopicDelete", "params", Map.of("InstanceId", instance, "Topic", "secret")),
                Map.of("action", "OnsGroupList", "params", Map.of("InstanceId", instance)),
                Map.of("action", "OnsGroupCreate", "params", Map.of("InstanceId", instance, "GroupId", "GID_x")))) {
            @SuppressWarnings("unchecked")
            Map<String, ?> params = (Map<String, ?>) request.get("params");
            call(intruder, (String) request.get("action"), params).statusCode(404)
                    .body("Code", equalTo("AUTH_RESOURCE_OWNER_ERROR"));
        }
        call(owner, "OnsTopicList", Map.of("InstanceId", instance)).statusCode(200)
                .body("Data.PublishInfoDo.Topic", contains("secret"));
    }
}
