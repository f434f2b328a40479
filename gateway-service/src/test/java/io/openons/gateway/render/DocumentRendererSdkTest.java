package io.openons.gateway.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.AcsResponse;
import com.aliyuncs.ons.model.v20190214.ListTagResourcesResponse;
import com.aliyuncs.ons.model.v20190214.OnsRegionListResponse;
import com.aliyuncs.ons.model.v20190214.OnsTopicListResponse;
import com.aliyuncs.reader.JsonReader;
import com.aliyuncs.reader.XmlReader;
import com.aliyuncs.transform.UnmarshallerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rendered documents, in both formats, read back with the official SDK's own readers and unmarshallers. */
class DocumentRendererSdkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TOPIC_LIST = """
            {"Data":{"PublishInfoDo":[
              {"Topic":"orders","InstanceId":"MQ_INST_1_a","MessageType":0,"Owner":"1","Relation":1,
               "RelationName":"持有者","IndependentNaming":true,"Remark":"a<b & \\"c\\" 中文","CreateTime":1700000000000,
               "Tags":{"Tag":[{"Key":"k1","Value":"v1"},{"Key":"k2","Value":""}]}},
              {"Topic":"payments","InstanceId":"MQ_INST_1_a","MessageType":4,"Owner":"1","Relation":1,
               "RelationName":"持有者","IndependentNaming":true,"CreateTime":1700000000001,"Tags":{"Tag":[]}}]}}""";

    private static <T extends AcsResponse> T parse(T response, ResponseFormat format, String action, String model,
            boolean bare) throws Exception {
        // The way the RPC dialect renders a service's result (JSON passes through, XML via the tree).
        byte[] serviceJson = JSON.writeValueAsBytes(JSON.readTree(model));
        String text = DocumentRenderer.text(DocumentRenderer.renderResult(format, action + "Response", "REQ-1",
                serviceJson, bare));
        assertFalse(text.contains("\\u"), "no \\uXXXX escapes: " + text);
        Map<String, String> map;
        if (format == ResponseFormat.JSON) {
            map = bare ? new JsonReader().readForHideArrayItem(text, action + "Response")
                    : new JsonReader().read(text, action + "Response");
        } else {
            map = bare ? new XmlReader().readForHideArrayItem(text, action + "Response")
                    : new XmlReader().read(text, action + "Response");
        }
        UnmarshallerContext context = new UnmarshallerContext();
        context.setResponseMap(map);
        @SuppressWarnings("unchecked")
        T parsed = (T) response.getInstance(context);
        return parsed;
    }

    @Test
    void topicListParsesInJsonAndXml() throws Exception {
        for (ResponseFormat format : ResponseFormat.values()) {
            OnsTopicListResponse r = parse(new OnsTopicListResponse(), format, "OnsTopicList", TOPIC_LIST, false);
            assertEquals("REQ-1", r.getRequestId(), format.name());
            assertEquals(2, r.getData().size(), format.name());
            OnsTopicListResponse.PublishInfoDo first = r.getData().get(0);
            assertEquals("orders", first.getTopic());
            assertEquals(0, first.getMessageType());
            assertEquals("a<b & \"c\" 中文", first.getRemark(), format.name());
            assertEquals("持有者", first.getRelationName());
            assertTrue(first.getIndependentNaming());
            assertEquals(1700000000000L, first.getCreateTime());
            assertEquals(2, first.getTags().size(), format.name());
            assertEquals("k2", first.getTags().get(1).getKey());
            assertEquals(4, r.getData().get(1).getMessageType());
        }
    }

    @Test
    void singleItemListsParseInXmlToo() throws Exception {
        String one = "{\"Data\":{\"RegionDo\":[{\"OnsRegionId\":\"cn-hangzhou\",\"RegionName\":\"Hangzhou\"}]}}";
        for (ResponseFormat format : ResponseFormat.values()) {
            OnsRegionListResponse r = parse(new OnsRegionListResponse(), format, "OnsRegionList", one, false);
            assertEquals(1, r.getData().size(), format.name());
            assertEquals("cn-hangzhou", r.getData().get(0).getOnsRegionId());
        }
    }

    @Test
    void bareArrayActionsAreWrittenBareInJson() throws Exception {
        String model = "{\"NextToken\":\"00ff\",\"TagResources\":{\"TagResource\":["
                + "{\"ResourceType\":\"ALIYUN::MQ::TOPIC\",\"InstanceId\":\"i\",\"ResourceId\":\"t\",\"TagKey\":\"k\",\"TagValue\":\"v\"},"
                + "{\"ResourceType\":\"ALIYUN::MQ::TOPIC\",\"InstanceId\":\"i\",\"ResourceId\":\"u\",\"TagKey\":\"k\",\"TagValue\":\"w\"}]}}";
        String json = DocumentRenderer.text(DocumentRenderer.render(ResponseFormat.JSON, "ListTagResourcesResponse",
                DocumentRenderer.withRequestId("R", JSON.readTree(model)), true));
        assertTrue(json.contains("\"TagResources\":[{"), json);
        for (ResponseFormat format : ResponseFormat.values()) {
            ListTagResourcesResponse r = parse(new ListTagResourcesResponse(), format, "ListTagResources", model, true);
            assertEquals("00ff", r.getNextToken());
            assertEquals(2, r.getTagResources().size(), format.name());
            assertEquals("w", r.getTagResources().get(1).getTagValue());
            assertEquals("ALIYUN::MQ::TOPIC", r.getTagResources().get(0).getResourceType());
        }
    }

    @Test
    void emptyResultsCarryOnlyTheRequestId() throws Exception {
        assertEquals("{\"RequestId\":\"R\"}", DocumentRenderer.text(DocumentRenderer.renderResult(
                ResponseFormat.JSON, "OnsTopicCreateResponse", "R", "{}".getBytes(), false)));
        assertEquals("{\"RequestId\":\"R\"}", DocumentRenderer.text(DocumentRenderer.renderResult(
                ResponseFormat.JSON, "TagResourcesResponse", "R", "{ }".getBytes(), true)));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><OnsTopicCreateResponse><RequestId>R</RequestId>"
                + "</OnsTopicCreateResponse>", DocumentRenderer.text(DocumentRenderer.renderResult(
                ResponseFormat.XML, "OnsTopicCreateResponse", "R", "{}".getBytes(), false)));
    }

    @Test
    void xmlUsesTheActionRootAndRequestIdFirst() throws Exception {
        String xml = DocumentRenderer.text(DocumentRenderer.render(ResponseFormat.XML, "OnsTopicListResponse",
                DocumentRenderer.withRequestId("R", JSON.readTree(TOPIC_LIST)), false));
        assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><OnsTopicListResponse><RequestId>R"
                + "</RequestId><Data><PublishInfoDo>"), xml);
        assertTrue(xml.contains("<Tags><Tag><Key>k1</Key><Value>v1</Value></Tag><Tag><Key>k2</Key><Value></Value>"), xml);
    }
}
