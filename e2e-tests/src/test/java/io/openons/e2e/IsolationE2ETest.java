package io.openons.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.ons.model.v20190214.*;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A second account cannot list, read, change, tag or delete the first account's resources. */
class IsolationE2ETest {

    private static String code(Executable call) {
        return assertThrows(ClientException.class, call).getErrCode();
    }

    @Test
    void aSecondAccountSeesAndTouchesNothingOfTheFirst() throws Exception {
        OnsApi owner = OnsApi.newAccount(Suite.get(), "owner");
        OnsApi other = OnsApi.newAccount(Suite.get(), "other");
        String instance = Fixtures.instance(owner);
        Fixtures.topic(owner, instance, "private-topic", 0);
        Fixtures.group(owner, instance, "GID_private", null);
        String missing = "MQ_INST_" + owner.accountId() + "_zzzzzzzz";

        // Lists: nothing of the owner.
        assertFalse(other.call(new OnsInstanceInServiceListRequest()).getData().stream()
                .anyMatch(i -> i.getInstanceId().equals(instance)));

        // Reads and changes: exactly the answer for a missing resource.
        OnsInstanceBaseInfoRequest info = new OnsInstanceBaseInfoRequest();
        info.setInstanceId(instance);
        OnsInstanceBaseInfoRequest infoMissing = new OnsInstanceBaseInfoRequest();
        infoMissing.setInstanceId(missing);
        assertEquals(code(() -> other.call(infoMissing)), code(() -> other.call(info)));

        OnsInstanceUpdateRequest update = new OnsInstanceUpdateRequest();
        update.setInstanceId(instance);
        update.setInstanceName("hijacked");
        assertEquals("INSTANCE_NOT_FOUND", code(() -> other.call(update)));
        OnsInstanceDeleteRequest delete = new OnsInstanceDeleteRequest();
        delete.setInstanceId(instance);
        assertEquals("INSTANCE_NOT_FOUND", code(() -> other.call(delete)));

        OnsTopicListRequest topics = new OnsTopicListRequest();
        topics.setInstanceId(instance);
        OnsTopicListRequest topicsMissing = new OnsTopicListRequest();
        topicsMissing.setInstanceId(missing);
        assertEquals(code(() -> other.call(topicsMissing)), code(() -> other.call(topics)));
        OnsGroupListRequest groups = new OnsGroupListRequest();
        groups.setInstanceId(instance);
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", code(() -> other.call(groups)));

        OnsTopicUpdateRequest perm = new OnsTopicUpdateRequest();
        perm.setInstanceId(instance);
        perm.setTopic("private-topic");
        perm.setPerm(2);
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", code(() -> other.call(perm)));
        OnsTopicDeleteRequest deleteTopic = new OnsTopicDeleteRequest();
        deleteTopic.setInstanceId(instance);
        deleteTopic.setTopic("private-topic");
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", code(() -> other.call(deleteTopic)));
        OnsGroupConsumerUpdateRequest read = new OnsGroupConsumerUpdateRequest();
        read.setInstanceId(instance);
        read.setGroupId("GID_private");
        read.setReadEnable(false);
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", code(() -> other.call(read)));
        OnsGroupDeleteRequest deleteGroup = new OnsGroupDeleteRequest();
        deleteGroup.setInstanceId(instance);
        deleteGroup.setGroupId("GID_private");
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", code(() -> other.call(deleteGroup)));
        assertEquals("AUTH_RESOURCE_OWNER_ERROR", code(() -> Fixtures.topic(other, instance, "intruder", 0)));

        // Tags: cannot tag, untag or list the owner's bindings.
        TagResourcesRequest tag = new TagResourcesRequest();
        tag.setResourceType("INSTANCE");
        tag.setResourceIds(List.of(instance));
        TagResourcesRequest.Tag t = new TagResourcesRequest.Tag();
        t.setKey("owner");
        t.setValue("me");
        tag.setTags(List.of(t));
        assertEquals("INSTANCE_NOT_FOUND", code(() -> other.call(tag)));
        owner.call(tag);
        ListTagResourcesRequest listTags = new ListTagResourcesRequest();
        listTags.setResourceType("INSTANCE");
        listTags.setResourceIds(List.of(instance));
        assertTrue(other.call(listTags).getTagResources().isEmpty());
        assertEquals(1, owner.call(listTags).getTagResources().size());
        UntagResourcesRequest untag = new UntagResourcesRequest();
        untag.setResourceType("INSTANCE");
        untag.setResourceIds(List.of(instance));
        untag.setAll(true);
        assertEquals("INSTANCE_NOT_FOUND", code(() -> other.call(untag)));

        // The owner's resources are intact.
        assertEquals(List.of("private-topic"), owner.call(topics).getData().stream()
                .map(OnsTopicListResponse.PublishInfoDo::getTopic).toList());
        assertEquals(1, owner.call(groups).getData().size());
        assertEquals(1, owner.call(listTags).getTagResources().size());
    }
}
