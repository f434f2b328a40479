package io.openons.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.ons.model.v20190214.*;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every resource Action of issue 2 through the gateway with the official ONS SDK, in JSON and in XML, with the
 * documented response fields filled with real values.
 */
class ResourceActionsE2ETest {

    private static OnsApi account;

    @BeforeAll
    static void newAccount() throws Exception {
        account = OnsApi.newAccount(Suite.get(), "resource-actions");
    }

    private static OnsApi api(String format) {
        return "XML".equals(format) ? account.xml() : account;
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void serviceActivationAndRegions(String format) throws Exception {
        OnsApi api = api(format);
        OpenOnsServiceResponse opened = api.call(new OpenOnsServiceRequest());
        assertNotNull(opened.getOrderId());
        assertEquals(opened.getOrderId(), api.call(new OpenOnsServiceRequest()).getOrderId());
        assertNotNull(opened.getRequestId());

        OnsRegionListResponse regions = api.call(new OnsRegionListRequest());
        Set<String> ids = regions.getData().stream().map(OnsRegionListResponse.RegionDo::getOnsRegionId)
                .collect(Collectors.toSet());
        assertTrue(ids.contains("cn-hangzhou"), ids.toString());
        assertTrue(regions.getData().stream().allMatch(r -> r.getRegionName() != null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void instanceLifecycle(String format) throws Exception {
        OnsApi api = api(format);
        Suite suite = Suite.get();
        OnsInstanceCreateRequest create = new OnsInstanceCreateRequest();
        create.setInstanceName(Names.unique("inst"));
        create.setRemark("备注 & <remark>");
        OnsInstanceCreateResponse created = api.call(create);
        String id = created.getData().getInstanceId();
        assertTrue(id.startsWith("MQ_INST_" + api.accountId() + "_"), id);
        assertEquals(1, created.getData().getInstanceType());

        OnsInstanceBaseInfoRequest info = new OnsInstanceBaseInfoRequest();
        info.setInstanceId(id);
        OnsInstanceBaseInfoResponse.InstanceBaseInfo base = api.call(info).getInstanceBaseInfo();
        assertEquals(id, base.getInstanceId());
        assertEquals(create.getInstanceName(), base.getInstanceName());
        assertEquals("备注 & <remark>", base.getRemark());
        assertEquals(5, base.getInstanceStatus());
        assertEquals(Boolean.TRUE, base.getIndependentNaming());
        assertEquals(suite.endpoint(), base.getEndpoints().getHttpInternetEndpoint());
        assertEquals(suite.endpoint(), base.getEndpoints().getHttpInternalEndpoint());
        assertEquals(suite.kafkaBootstrap(), base.getEndpoints().getTcpEndpoint());
        assertTrue(Long.parseLong(base.getCreateTime()) > 1_600_000_000_000L);

        OnsInstanceUpdateRequest update = new OnsInstanceUpdateRequest();
        update.setInstanceId(id);
        update.setInstanceName(create.getInstanceName() + "-renamed");
        update.setRemark("");
        api.call(update);
        base = api.call(info).getInstanceBaseInfo();
        assertEquals(create.getInstanceName() + "-renamed", base.getInstanceName());
        assertEquals("备注 & <remark>", base.getRemark(), "an empty Remark leaves it unchanged");

        OnsInstanceInServiceListResponse list = api.call(new OnsInstanceInServiceListRequest());
        OnsInstanceInServiceListResponse.InstanceVO listed = list.getData().stream()
                .filter(i -> i.getInstanceId().equals(id)).findFirst().orElseThrow();
        assertEquals(5, listed.getInstanceStatus());
        assertEquals(1, listed.getInstanceType());
        assertTrue(listed.getCreateTime() > 0);

        OnsInstanceDeleteRequest delete = new OnsInstanceDeleteRequest();
        delete.setInstanceId(id);
        api.call(delete);
        ClientException gone = assertThrows(ClientException.class, () -> api.call(info));
        assertEquals("INSTANCE_NOT_FOUND", gone.getErrCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void topicsAndGroups(String format) throws Exception {
        OnsApi api = api(format);
        String instance = Fixtures.instance(api);

        for (int type : new int[] {0, 1, 2, 4, 5}) {
            OnsTopicCreateRequest create = new OnsTopicCreateRequest();
            create.setInstanceId(instance);
            create.setTopic("topic-" + type);
            create.setMessageType(type);
            create.setRemark("type " + type);
            api.call(create);
        }
        OnsTopicListRequest list = new OnsTopicListRequest();
        list.setInstanceId(instance);
        List<OnsTopicListResponse.PublishInfoDo> topics = api.call(list).getData();
        assertEquals(List.of("topic-0", "topic-1", "topic-2", "topic-4", "topic-5"),
                topics.stream().map(OnsTopicListResponse.PublishInfoDo::getTopic).toList());
        OnsTopicListResponse.PublishInfoDo t4 = topics.get(3);
        assertEquals(4, t4.getMessageType());
        assertEquals(instance, t4.getInstanceId());
        assertEquals(api.accountId(), t4.getOwner());
        assertEquals("type 4", t4.getRemark());
        assertEquals(1, t4.getRelation());
        assertTrue(t4.getCreateTime() > 0);

        list.setTopic("topic-1");
        assertEquals(1, api.call(list).getData().size());

        OnsTopicUpdateRequest perm = new OnsTopicUpdateRequest();
        perm.setInstanceId(instance);
        perm.setTopic("topic-0");
        perm.setPerm(2);
        api.call(perm);

        OnsTopicDeleteRequest deleteTopic = new OnsTopicDeleteRequest();
        deleteTopic.setInstanceId(instance);
        deleteTopic.setTopic("topic-5");
        api.call(deleteTopic);
        OnsTopicListRequest all = new OnsTopicListRequest();
        all.setInstanceId(instance);
        assertEquals(4, api.call(all).getData().size());

        OnsGroupCreateRequest group = new OnsGroupCreateRequest();
        group.setInstanceId(instance);
        group.setGroupId("GID_orders");
        group.setRemark("consumers");
        api.call(group);
        group.setGroupId("GID-web");
        group.setGroupType("http");
        api.call(group);
        OnsGroupListRequest groups = new OnsGroupListRequest();
        groups.setInstanceId(instance);
        List<OnsGroupListResponse.SubscribeInfoDo> found = api.call(groups).getData();
        assertEquals(List.of("GID_orders", "GID-web"),
                found.stream().map(OnsGroupListResponse.SubscribeInfoDo::getGroupId).toList());
        assertEquals("tcp", found.get(0).getGroupType());
        assertEquals("http", found.get(1).getGroupType());
        assertEquals("consumers", found.get(0).getRemark());
        assertTrue(found.get(0).getUpdateTime() >= found.get(0).getCreateTime());
        groups.setGroupType("http");
        assertEquals(1, api.call(groups).getData().size());

        OnsGroupConsumerUpdateRequest read = new OnsGroupConsumerUpdateRequest();
        read.setInstanceId(instance);
        read.setGroupId("GID_orders");
        read.setReadEnable(false);
        api.call(read);

        OnsGroupDeleteRequest deleteGroup = new OnsGroupDeleteRequest();
        deleteGroup.setInstanceId(instance);
        deleteGroup.setGroupId("GID-web");
        api.call(deleteGroup);
        OnsGroupListRequest allGroups = new OnsGroupListRequest();
        allGroups.setInstanceId(instance);
        assertEquals(1, api.call(allGroups).getData().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "XML"})
    void tags(String format) throws Exception {
        OnsApi api = api(format);
        String instance = Fixtures.instance(api);
        Fixtures.topic(api, instance, "tagged-a", 0);
        Fixtures.topic(api, instance, "tagged-b", 0);

        TagResourcesRequest tag = new TagResourcesRequest();
        tag.setResourceType("TOPIC");
        tag.setInstanceId(instance);
        tag.setResourceIds(List.of("tagged-a", "tagged-b"));
        TagResourcesRequest.Tag env = new TagResourcesRequest.Tag();
        env.setKey("env");
        env.setValue("prod");
        tag.setTags(List.of(env));
        api.call(tag);
        TagResourcesRequest instanceTag = new TagResourcesRequest();
        instanceTag.setResourceType("INSTANCE");
        instanceTag.setResourceIds(List.of(instance));
        instanceTag.setTags(List.of(env));
        api.call(instanceTag);

        ListTagResourcesRequest listTags = new ListTagResourcesRequest();
        listTags.setResourceType("TOPIC");
        listTags.setInstanceId(instance);
        listTags.setResourceIds(List.of("tagged-a"));
        ListTagResourcesResponse bound = api.call(listTags);
        assertEquals(1, bound.getTagResources().size());
        ListTagResourcesResponse.TagResource binding = bound.getTagResources().get(0);
        assertEquals("env", binding.getTagKey());
        assertEquals("prod", binding.getTagValue());
        assertEquals("tagged-a", binding.getResourceId());
        assertEquals(instance, binding.getInstanceId());
        assertEquals("ALIYUN::MQ::TOPIC", binding.getResourceType());

        OnsTopicListRequest filtered = new OnsTopicListRequest();
        filtered.setInstanceId(instance);
        OnsTopicListRequest.Tag filter = new OnsTopicListRequest.Tag();
        filter.setKey("env");
        filter.setValue("prod");
        filtered.setTags(List.of(filter));
        List<OnsTopicListResponse.PublishInfoDo> topics = api.call(filtered).getData();
        assertEquals(2, topics.size());
        assertEquals("env", topics.get(0).getTags().get(0).getKey());

        OnsInstanceInServiceListRequest instances = new OnsInstanceInServiceListRequest();
        OnsInstanceInServiceListRequest.Tag instanceFilter = new OnsInstanceInServiceListRequest.Tag();
        instanceFilter.setKey("env");
        instanceFilter.setValue("prod");
        instances.setTags(List.of(instanceFilter));
        assertTrue(api.call(instances).getData().stream().anyMatch(i -> i.getInstanceId().equals(instance)));

        UntagResourcesRequest untag = new UntagResourcesRequest();
        untag.setResourceType("TOPIC");
        untag.setInstanceId(instance);
        untag.setResourceIds(List.of("tagged-a"));
        untag.setTagKeys(List.of("env"));
        api.call(untag);
        assertEquals(0, api.call(listTags).getTagResources().size());
        untag.setResourceIds(List.of("tagged-b"));
        untag.setTagKeys(null);
        untag.setAll(true);
        api.call(untag);
        assertEquals(0, api.call(filtered).getData().size());
    }
}
