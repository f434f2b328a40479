package io.openons.contracts.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's compatibility table says exactly what the operation model serves, Action by Action. */
class ReadmeCompatibilityTableTest {

    @Test
    void everyActionIsListedWithItsTrueStatus() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher row = Pattern.compile("^\\| (\\w+) \\| (supported|partial|not yet) \\|", Pattern.MULTILINE)
                .matcher(readme);
        Map<String, String> status = new HashMap<>();
        while (row.find()) {
            status.put(row.group(1), row.group(2));
        }
        for (Operation op : Operation.values()) {
            assertTrue(status.containsKey(op.action()), op.action() + " is missing from the README's table");
            assertEquals(op.available(), !status.get(op.action()).equals("not yet"),
                    op.action() + ": README says " + status.get(op.action()) + ", the operation model says available="
                            + op.available());
        }
    }
}
