package io.openons.stats.consumetps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.openons.contracts.error.OnsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumeTpsWindowTest {

    @Test
    void windowIsWholeMinutesUpToAnHour() {
        assertEquals(Duration.ofMinutes(1), ConsumeTpsService.window(null));
        assertEquals(Duration.ofMinutes(1), ConsumeTpsService.window(" "));
        assertEquals(Duration.ofMinutes(5), ConsumeTpsService.window("PT5M"));
        assertEquals(Duration.ofHours(1), ConsumeTpsService.window("PT1H"));
        for (String bad : new String[] {"PT30S", "PT61M", "PT0M", "-PT1M", "5", "PT1M30S"}) {
            OnsException e = assertThrows(OnsException.class, () -> ConsumeTpsService.window(bad), bad);
            assertEquals("InvalidParameter", e.code());
        }
    }
}
