package io.openons.e2e;

import com.aliyuncs.ons.model.v20190214.OnsGroupCreateRequest;
import com.aliyuncs.ons.model.v20190214.OnsInstanceCreateRequest;
import com.aliyuncs.ons.model.v20190214.OnsTopicCreateRequest;

/** Resources tests need, created through the official SDK like everything else. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String instance(OnsApi api) throws Exception {
        OnsInstanceCreateRequest create = new OnsInstanceCreateRequest();
        create.setInstanceName(Names.unique("e2e"));
        return api.call(create).getData().getInstanceId();
    }

    public static void topic(OnsApi api, String instanceId, String topic, int messageType) throws Exception {
        OnsTopicCreateRequest create = new OnsTopicCreateRequest();
        create.setInstanceId(instanceId);
        create.setTopic(topic);
        create.setMessageType(messageType);
        api.call(create);
    }

    public static void group(OnsApi api, String instanceId, String groupId, String groupType) throws Exception {
        OnsGroupCreateRequest create = new OnsGroupCreateRequest();
        create.setInstanceId(instanceId);
        create.setGroupId(groupId);
        create.setGroupType(groupType);
        api.call(create);
    }
}
