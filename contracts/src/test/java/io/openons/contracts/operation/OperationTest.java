package io.openons.contracts.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OperationTest {

    @Test
    void modelsEveryActionOfTheApiOnce() {
        assertEquals(40, Operation.values().length);
        assertSame(Operation.OnsTopicCreate, Operation.fromAction("OnsTopicCreate"));
        assertNull(Operation.fromAction("onstopiccreate"), "Action names are case-sensitive");
        assertNull(Operation.fromAction("DescribeRegions"));
    }

    @Test
    void bareArrayActionsAreExactlyTheFiveTheSdkReadsBare() {
        Set<String> bare = Arrays.stream(Operation.values()).filter(Operation::bareArrays)
                .map(Operation::action).collect(Collectors.toSet());
        assertEquals(Set.of("ListTagResources", "OnsMessageDetail", "OpenOnsService", "TagResources",
                "UntagResources"), bare);
    }

    @Test
    void internalPathNamesTheAction() {
        assertEquals("/internal/v1/operations/OnsTopicList", Operation.OnsTopicList.internalPath());
    }
}
