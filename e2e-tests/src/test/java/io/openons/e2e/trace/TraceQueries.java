package io.openons.e2e.trace;

import static org.junit.jupiter.api.Assertions.fail;

import com.aliyuncs.ons.model.v20190214.OnsTraceGetResultRequest;
import com.aliyuncs.ons.model.v20190214.OnsTraceGetResultResponse;
import com.aliyuncs.ons.model.v20190214.OnsTraceQueryByMsgIdRequest;
import com.aliyuncs.ons.model.v20190214.OnsTraceQueryByMsgKeyRequest;
import io.openons.e2e.OnsApi;
import java.util.function.Predicate;

/** The trace Actions through the official ONS SDK, with the polling a user does while a job works. */
public final class TraceQueries {

    private TraceQueries() {
    }

    public static String byMsgId(OnsApi api, String instanceId, String topic, String msgId, long begin, long end)
            throws Exception {
        OnsTraceQueryByMsgIdRequest request = new OnsTraceQueryByMsgIdRequest();
        request.setInstanceId(instanceId);
        request.setTopic(topic);
        request.setMsgId(msgId);
        request.setBeginTime(begin);
        request.setEndTime(end);
        return api.call(request).getQueryId();
    }

    public static String byMsgKey(OnsApi api, String instanceId, String topic, String key, long begin, long end)
            throws Exception {
        OnsTraceQueryByMsgKeyRequest request = new OnsTraceQueryByMsgKeyRequest();
        request.setInstanceId(instanceId);
        request.setTopic(topic);
        request.setMsgKey(key);
        request.setBeginTime(begin);
        request.setEndTime(end);
        return api.call(request).getQueryId();
    }

    public static OnsTraceGetResultResponse.TraceData result(OnsApi api, String queryId) throws Exception {
        OnsTraceGetResultRequest request = new OnsTraceGetResultRequest();
        request.setQueryId(queryId);
        return api.call(request).getTraceData();
    }

    /** Polls OnsTraceGetResult until the job is finished. */
    public static OnsTraceGetResultResponse.TraceData awaitFinished(OnsApi api, String queryId, long timeoutMillis)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        OnsTraceGetResultResponse.TraceData last = null;
        while (System.currentTimeMillis() < deadline) {
            last = result(api, queryId);
            if ("finish".equals(last.getStatus())) {
                return last;
            }
            Thread.sleep(20);
        }
        fail("trace query " + queryId + " did not finish; last status " + (last == null ? null : last.getStatus()));
        return null;
    }

    /**
     * Queries the trace of a message again and again until {@code done} holds (the events reach trace-service
     * asynchronously); answers the last result, or fails the test after {@code timeoutMillis}.
     */
    public static OnsTraceGetResultResponse.TraceData awaitTrace(OnsApi api, String instanceId, String topic,
            String msgId, long begin, long end, Predicate<OnsTraceGetResultResponse.TraceData> done,
            long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        OnsTraceGetResultResponse.TraceData last = null;
        while (System.currentTimeMillis() < deadline) {
            last = awaitFinished(api, byMsgId(api, instanceId, topic, msgId, begin, end), 15_000);
            try {
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException notYet) {
                // a field the predicate reads is not there yet
            }
            Thread.sleep(200);
        }
        fail("trace of " + msgId + " not as expected within " + timeoutMillis + " ms; last: " + describe(last));
        return null;
    }

    public static String describe(OnsTraceGetResultResponse.TraceData data) {
        if (data == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder(data.getStatus());
        if (data.getTraceList() != null) {
            for (OnsTraceGetResultResponse.TraceData.TraceMapDo t : data.getTraceList()) {
                s.append(" [").append(t.getMsgId()).append(' ').append(t.getStatus());
                if (t.getSubList() != null) {
                    for (OnsTraceGetResultResponse.TraceData.TraceMapDo.SubMapDo g : t.getSubList()) {
                        s.append(" ").append(g.getSubGroupName()).append(" ok=").append(g.getSuccessCount())
                                .append(" fail=").append(g.getFailCount()).append(" {");
                        for (var c : g.getClientList()) {
                            s.append(c.getReconsumeTimes()).append(':').append(c.getStatus()).append(' ');
                        }
                        s.append('}');
                    }
                }
                s.append(']');
            }
        }
        return s.toString();
    }
}
