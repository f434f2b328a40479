package io.openons.e2e.stats;

import com.aliyuncs.ons.model.v20190214.OnsTrendGroupOutputTpsRequest;
import com.aliyuncs.ons.model.v20190214.OnsTrendGroupOutputTpsResponse;
import com.aliyuncs.ons.model.v20190214.OnsTrendTopicInputTpsRequest;
import com.aliyuncs.ons.model.v20190214.OnsTrendTopicInputTpsResponse;
import io.openons.e2e.OnsApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The two trend Actions through the official ONS SDK, and the charts the tests expect from known traffic. */
final class TrendCharts {

    static final long MINUTE = 60_000L;

    private TrendCharts() {
    }

    /** A chart as the SDK parsed it. */
    record Chart(String title, String xUnit, String yUnit, List<Point> points) {
    }

    /** A point: X as sent, Y as the SDK's Float. */
    record Point(long x, float y) {
    }

    static Chart topicInput(OnsApi api, String instanceId, String topic, long begin, long end, int type, Long period)
            throws Exception {
        OnsTrendTopicInputTpsRequest request = new OnsTrendTopicInputTpsRequest();
        request.setInstanceId(instanceId);
        request.setTopic(topic);
        request.setBeginTime(begin);
        request.setEndTime(end);
        request.setType(type);
        request.setPeriod(period);
        OnsTrendTopicInputTpsResponse.Data data = api.call(request).getData();
        List<Point> points = new ArrayList<>();
        data.getRecords().forEach(r -> points.add(new Point(r.getX(), r.getY())));
        return new Chart(data.getTitle(), data.getXUnit(), data.getYUnit(), points);
    }

    static Chart groupOutput(OnsApi api, String instanceId, String groupId, String topic, long begin, long end,
            int type, Long period) throws Exception {
        OnsTrendGroupOutputTpsRequest request = new OnsTrendGroupOutputTpsRequest();
        request.setInstanceId(instanceId);
        request.setGroupId(groupId);
        request.setTopic(topic);
        request.setBeginTime(begin);
        request.setEndTime(end);
        request.setType(type);
        request.setPeriod(period);
        OnsTrendGroupOutputTpsResponse.Data data = api.call(request).getData();
        List<Point> points = new ArrayList<>();
        data.getRecords().forEach(r -> points.add(new Point(r.getX(), r.getY())));
        return new Chart(data.getTitle(), data.getXUnit(), data.getYUnit(), points);
    }

    /**
     * The chart known per-minute counts must give: every epoch-aligned period from the one holding
     * {@code begin} to the one holding {@code end}, Y the period's count (Type 0) or count per second (Type 1),
     * as the SDK's Float reads it.
     */
    static List<Point> expected(Map<Long, Integer> perMinute, long begin, long end, long periodMinutes, int type) {
        long step = periodMinutes * MINUTE;
        TreeMap<Long, Long> sums = new TreeMap<>();
        perMinute.forEach((minute, n) -> sums.merge(Math.floorDiv(minute, step) * step, (long) n, Long::sum));
        List<Point> points = new ArrayList<>();
        for (long x = Math.floorDiv(begin, step) * step; x <= Math.floorDiv(end, step) * step; x += step) {
            long n = sums.getOrDefault(x, 0L);
            points.add(new Point(x, type == 0 ? (float) n : Float.parseFloat(Double.toString((double) n
                    / (periodMinutes * 60)))));
        }
        return points;
    }

    static long minute(long time) {
        return Math.floorDiv(time, MINUTE) * MINUTE;
    }
}
