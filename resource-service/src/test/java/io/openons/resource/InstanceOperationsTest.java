package io.openons.resource;

import static io.openons.resource.InternalApiClient.call;
import static io.openons.resource.InternalApiClient.createInstance;
import static io.openons.resource.InternalApiClient.newAccount;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.openons.testsupport.InfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraResource.class, scope = TestResourceScope.GLOBAL)
class InstanceOperationsTest {

    @Test
    void createsAnInstanceWithARealIdAndReportsItsEndpoints() {
        String account = newAccount();
        String id = createInstance(account, "orders-prod");
        org.hamcrest.MatcherAssert.assertThat(id, matchesPattern("MQ_INST_" + account + "_[A-Za-z0-9]{8}"));

        call(account, "OnsInstanceBaseInfo", Map.of("InstanceId", id)).statusCode(200)
                .body("InstanceBaseInfo.InstanceId", equalTo(id))
                .body("InstanceBaseInfo.InstanceName", equalTo("orders-prod"))
                .body("InstanceBaseInfo.InstanceStatus", equalTo(5))
                .body("InstanceBaseInfo.InstanceType", equalTo(1))
                .body("InstanceBaseInfo.IndependentNaming", equalTo(true))
                .body("InstanceBaseInfo.Endpoints.HttpInternetEndpoint", equalTo("http://127.0.0.1:8080"))
                .body("InstanceBaseInfo.Endpoints.TcpEndpoint", notNullValue());
    }

    @Test
    void updatesNameAndRemarkAndKeepsWhatIsLeftEmpty() {
        String account = newAccount();
        String id = createInstance(account, "billing");
        call(account, "OnsInstanceUpdate", Map.of("InstanceId", id, "Remark", "payments")).statusCode(204);
        call(account, "OnsInstanceUpdate", Map.of("InstanceId", id, "InstanceName", "billing-2", "Remark", ""))
                .statusCode(204);
        call(account, "OnsInstanceBaseInfo", Map.of("InstanceId", id)).statusCode(200)
                .body("InstanceBaseInfo.InstanceName", equalTo("billing-2"))
                .body("InstanceBaseInfo.Remark", equalTo("payments"));
    }

    @Test
    void enforcesTheDocumentedNameRule() {
        String account = newAccount();
        call(account, "OnsInstanceCreate", Map.of("InstanceName", "ab")).statusCode(400)
                .body("Code", equalTo("BIZ_FIELD_CHECK_INVALID"))
                .body("Message", containsString("3 to 64 characters"));
        call(account, "OnsInstanceCreate", Map.of("InstanceName", "has space")).statusCode(400);
        call(account, "OnsInstanceCreate", Map.of("InstanceName", "测试实例")).statusCode(200);
    }

    @Test
    void refusesTheNinthInstanceOfARegionAndDuplicateNames() {
        String account = newAccount();
        for (int i = 1; i <= 8; i++) {
            createInstance(account, "inst-" + i);
        }
        call(account, "OnsInstanceCreate", Map.of("InstanceName", "inst-9")).statusCode(409)
                .body("Code", equalTo("BIZ_INSTANCE_LIMIT_EXCEEDED"));
        // The limit is per region.
        call(account, "cn-shanghai", "OnsInstanceCreate", Map.of("InstanceName", "inst-1")).statusCode(200);
        String other = newAccount();
        createInstance(other, "dup");
        call(other, "OnsInstanceCreate", Map.of("InstanceName", "dup")).statusCode(409)
                .body("Code", equalTo("BIZ_INSTANCE_NAME_EXISTED"));
    }

    @Test
    void refusesRegionsThatAreNotServed() {
        call(newAccount(), "eu-nowhere-1", "OnsInstanceCreate", Map.of("InstanceName", "x-1")).statusCode(404)
                .body("Code", equalTo("BIZ_REGION_NOT_FOUND"));
    }

    @Test
    void listsOnlyTheCallersInstancesOfTheRegionFilteredByTags() {
        String account = newAccount();
        String a = createInstance(account, "list-a");
        String b = createInstance(account, "list-b");
        createInstance(newAccount(), "someone-else");
        call(account, "TagResources", Map.of("ResourceType", "INSTANCE", "ResourceId", List.of(a),
                "Tag", List.of(Map.of("Key", "team", "Value", "blue")))).statusCode(204);

        call(account, "OnsInstanceInServiceList", Map.of()).statusCode(200)
                .body("Data.InstanceVO.InstanceId", contains(a, b))
                .body("Data.InstanceVO[0].Tags.Tag[0].Key", equalTo("team"));
        call(account, "OnsInstanceInServiceList", Map.of("Tag", List.of(Map.of("Key", "team", "Value", "blue"))))
                .statusCode(200).body("Data.InstanceVO.InstanceId", contains(a));
        call(account, "OnsInstanceInServiceList", Map.of("Tag", List.of(Map.of("Key", "team", "Value", "red"))))
                .statusCode(200).body("Data.InstanceVO", empty());
        call(account, "cn-shanghai", "OnsInstanceInServiceList", Map.of()).statusCode(200)
                .body("Data.InstanceVO", hasSize(0));
    }

    @Test
    void anotherAccountsInstanceAnswersExactlyAsAMissingOne() {
        String owner = newAccount();
        String id = createInstance(owner, "private");
        String intruder = newAccount();
        for (String action : List.of("OnsInstanceBaseInfo", "OnsInstanceDelete")) {
            String missing = call(intruder, action, Map.of("InstanceId", id + "x")).statusCode(404)
                    .extract().path("Code");
            call(intruder, action, Map.of("InstanceId", id)).statusCode(404).body("Code", equalTo(missing));
        }
        call(intruder, "OnsInstanceUpdate", Map.of("InstanceId", id, "InstanceName", "stolen")).statusCode(404)
                .body("Code", equalTo("INSTANCE_NOT_FOUND"));
        call(owner, "OnsInstanceBaseInfo", Map.of("InstanceId", id)).statusCode(200)
                .body("InstanceBaseInfo.InstanceName", equalTo("private"));
    }

    @Test
    void deletesOnlyAnEmptyInstance() {
        String account = newAccount();
        String id = createInstance(account, "to-delete");
        call(account, "OnsGroupCreate", Map.of("InstanceId", id, "GroupId", "GID_blocker")).statusCode(204);
        call(account, "OnsInstanceDelete", Map.of("InstanceId", id)).statusCode(409)
                .body("Code", equalTo("INSTANCE_NOT_EMPTY"))
                .body("Message", containsString("1 group(s)"));
        call(account, "OnsGroupDelete", Map.of("InstanceId", id, "GroupId", "GID_blocker")).statusCode(204);
        call(account, "OnsInstanceDelete", Map.of("InstanceId", id)).statusCode(204);
        call(account, "OnsInstanceBaseInfo", Map.of("InstanceId", id)).statusCode(404)
                .body("Code", equalTo("INSTANCE_NOT_FOUND"));
    }

    @Test
    void listsTheConfiguredRegions() {
        call(newAccount(), "OnsRegionList", Map.of()).statusCode(200)
                .body("Data.RegionDo[0].OnsRegionId", equalTo("cn-hangzhou"))
                .body("Data.RegionDo.OnsRegionId", hasSize(3));
    }

    @Test
    void openOnsServiceAnswersTheSameOrderEveryTime() {
        String account = newAccount();
        String order = call(account, "OpenOnsService", Map.of()).statusCode(200).extract().path("OrderId");
        call(account, "OpenOnsService", Map.of()).statusCode(200).body("OrderId", equalTo(order));
    }
}
