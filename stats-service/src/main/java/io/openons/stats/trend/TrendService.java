package io.openons.stats.trend;

import io.openons.contracts.error.OnsError;
import io.openons.service.api.ItemList;
import io.openons.service.catalog.ResourceCatalog;
import io.openons.stats.aggregate.CountedEvent;
import io.openons.stats.config.StatsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OnsTrendTopicInputTps and OnsTrendGroupOutputTps: a point per period, zeros included, Y the exact count of
 * the period (Type 0) or that count divided by the period's seconds (Type 1).
 */
@ApplicationScoped
public class TrendService {

    static final String X_UNIT = "time";
    static final String COUNT_UNIT = "msg";
    static final String TPS_UNIT = "msg/s";

    private final ResourceCatalog catalog;
    private final TrendRepository repository;
    private final StatsConfig config;
    private final Clock clock;

    TrendService(ResourceCatalog catalog, TrendRepository repository, StatsConfig config) {
        this.catalog = catalog;
        this.repository = repository;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** The chart of the messages produced to a topic. */
    public TrendData topicInput(String accountId, String regionId, String instanceId, String topic, Long beginTime,
            Long endTime, Integer type, Long period) throws SQLException {
        require("InstanceId", instanceId);
        require("Topic", topic);
        int chart = type(type);
        TrendRange range = range(beginTime, endTime, period);
        catalog.requireTopic(accountId, regionId, instanceId, topic);
        String title = instanceId + "%" + topic + " 接收 " + (chart == 0 ? "总量" : "TPS") + " 趋势图";
        return chart(title, chart, range, accountId, instanceId, CountedEvent.TOPIC_INPUT, topic);
    }

    /** The chart of the messages of a topic consumed by a Group ID. */
    public TrendData groupOutput(String accountId, String regionId, String instanceId, String groupId, String topic,
            Long beginTime, Long endTime, Integer type, Long period) throws SQLException {
        require("InstanceId", instanceId);
        require("GroupId", groupId);
        require("Topic", topic);
        int chart = type(type);
        TrendRange range = range(beginTime, endTime, period);
        catalog.requireGroup(accountId, regionId, instanceId, groupId);
        catalog.requireTopic(accountId, regionId, instanceId, topic);
        String title = instanceId + "%" + topic + "@" + instanceId + "%" + groupId + " 投递 "
                + (chart == 0 ? "总量" : "TPS") + " 趋势图";
        return chart(title, chart, range, accountId, instanceId, groupId, topic);
    }

    private TrendData chart(String title, int chart, TrendRange range, String accountId, String instanceId,
            String groupId, String topic) throws SQLException {
        List<StatsDataDo> records = new ArrayList<>();
        if (range.last() >= range.first()) {
            Map<Long, Long> counts = repository.counts(accountId, instanceId, groupId, topic, range.periodMs(),
                    range.first(), range.end());
            for (long x : range.points()) {
                long count = counts.getOrDefault(x, 0L);
                records.add(new StatsDataDo(x, chart == 0 ? (Number) count
                        : (Number) ((double) count / range.periodSeconds())));
            }
        }
        return new TrendData(title, X_UNIT, chart == 0 ? COUNT_UNIT : TPS_UNIT, ItemList.of("StatsDataDo", records));
    }

    private TrendRange range(Long beginTime, Long endTime, Long period) {
        require("BeginTime", beginTime);
        require("EndTime", endTime);
        return TrendRange.of(beginTime, endTime, period, clock.millis(), new TrendRange.Limits(config.retention(),
                config.minuteResolution(), config.maxPoints()));
    }

    private static int type(Integer type) {
        require("Type", type);
        if (type != 0 && type != 1) {
            throw OnsError.FIELD_CHECK_INVALID.exception(
                    "Type must be 0 (messages per period) or 1 (messages per second); it was " + type + ".");
        }
        return type;
    }

    private static void require(String name, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw OnsError.MISSING_PARAMETER.exception(name);
        }
    }
}
