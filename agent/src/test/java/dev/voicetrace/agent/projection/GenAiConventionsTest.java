package dev.voicetrace.agent.projection;

import static dev.voicetrace.agent.link.Records.T0;
import static dev.voicetrace.agent.link.Records.ms;
import static dev.voicetrace.agent.projection.OtlpProjectorTest.attributes;
import static dev.voicetrace.agent.projection.OtlpProjectorTest.string;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.REPLY;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.SESSION;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.TRANSCRIPT;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.otlp.OtlpJsonAssertions;
import dev.voicetrace.agent.otlp.OtlpProtobuf;
import dev.voicetrace.agent.privacy.ContentPolicy;
import dev.voicetrace.agent.privacy.Redactor;
import dev.voicetrace.agent.config.PrivacyOptions;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenTelemetry's GenAI semantic conventions on the spans of a real voice turn. */
class GenAiConventionsTest {

    private final VoiceTurnFixture fixture = new VoiceTurnFixture();
    private final ProjectionContext context = new ProjectionContext("gateway", "staging", "v1", "0.1.0-test",
            fixture.ids, () -> T0 + ms(10_000));
    private final Map<String, Object> resource = resource();
    /** What the OTLP sink sends: everything Langfuse gets, plus the messages. */
    private final OtlpProjector otlpSink = new OtlpProjector(context, resource, true);
    /** What Langfuse gets. */
    private final OtlpProjector langfuse = new OtlpProjector(context, resource, false);

    private static Map<String, Object> resource() {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("service.name", "gateway");
        resource.put("service.instance.id", "7d1c9f0e-2b0a-4d8e-9a47-1d6c0b8e5f11");
        resource.put("process.pid", 4242L);
        return resource;
    }

    @Test
    void theModelCallCarriesTheConventionsAttributes() {
        Map<String, JsonNode> answer = attributes(otlpSink.observation(fixture.answer).get(0));
        assertEquals("chat", string(answer, "gen_ai.operation.name"));
        assertEquals("openai", string(answer, "gen_ai.provider.name"));
        assertEquals("gpt-4o-mini-2024-07-18", string(answer, "gen_ai.request.model"));
        assertEquals("gpt-4o-mini-2024-07-18", string(answer, "gen_ai.response.model"));
        assertEquals("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", string(answer, "gen_ai.response.id"));
        assertEquals(SESSION, string(answer, "gen_ai.conversation.id"));
        assertEquals("stop", answer.get("gen_ai.response.finish_reasons").at("/arrayValue/values/0/stringValue")
                .asText());
        assertEquals(1, answer.get("gen_ai.response.finish_reasons").at("/arrayValue/values").size());
        assertEquals(0.2, answer.get("gen_ai.request.temperature").get("doubleValue").asDouble());
        assertEquals(256, answer.get("gen_ai.request.max_tokens").get("intValue").asLong());
        assertEquals(42, answer.get("gen_ai.request.seed").get("intValue").asLong());
        // The conventions count the whole prompt, cached tokens included, and the whole completion.
        assertEquals(1117, answer.get("gen_ai.usage.input_tokens").get("intValue").asLong());
        assertEquals(46, answer.get("gen_ai.usage.output_tokens").get("intValue").asLong());
        assertEquals("gateway", string(answer, "langfuse.observation.metadata.service_name"));
    }

    @Test
    void speechStagesSayWhatTheyDid() {
        Map<String, JsonNode> stt = attributes(otlpSink.observation(fixture.stt).get(0));
        assertEquals("speech_to_text", string(stt, "gen_ai.operation.name"));
        assertEquals("openai", string(stt, "gen_ai.provider.name"));
        JsonNode sttOutput = parse(string(stt, "gen_ai.output.messages"));
        assertEquals(TRANSCRIPT, sttOutput.at("/0/parts/0/content").asText());

        Map<String, JsonNode> tts = attributes(otlpSink.observation(fixture.speech).get(0));
        assertEquals("text_to_speech", string(tts, "gen_ai.operation.name"));
        assertEquals("tts-1", string(tts, "gen_ai.request.model"));
        JsonNode ttsInput = parse(string(tts, "gen_ai.input.messages"));
        assertEquals("We open at seven tomorrow.", ttsInput.at("/0/parts/0/content").asText());
    }

    @Test
    void messagesFollowTheConventionsShape() {
        Map<String, JsonNode> answer = attributes(otlpSink.observation(fixture.answer).get(0));
        JsonNode input = parse(string(answer, "gen_ai.input.messages"));
        List<String> roles = new ArrayList<>();
        input.forEach(message -> roles.add(message.get("role").asText()));
        assertEquals(List.of("system", "user", "assistant", "user", "assistant", "tool"), roles);
        assertEquals("text", input.at("/0/parts/0/type").asText());
        assertTrue(input.at("/0/parts/0/content").asText().startsWith("You are a helpful voice assistant"));
        assertEquals(TRANSCRIPT, input.at("/3/parts/0/content").asText(), "a content array's text part");
        // The earlier model call's tool request, and the tool's answer to it.
        JsonNode toolCall = findPart(input.get(4), "tool_call");
        assertEquals("get_opening_hours", toolCall.get("name").asText());
        assertEquals("call_DdmO9pD3xa9XTPNJ32zg2hcA", toolCall.get("id").asText());
        assertTrue(toolCall.get("arguments").isObject(), "arguments are JSON, not a string: " + toolCall);
        JsonNode toolResponse = findPart(input.get(5), "tool_call_response");
        assertEquals("call_DdmO9pD3xa9XTPNJ32zg2hcA", toolResponse.get("id").asText());

        JsonNode output = parse(string(answer, "gen_ai.output.messages"));
        assertEquals(1, output.size());
        assertEquals("assistant", output.at("/0/role").asText());
        assertEquals(REPLY, output.at("/0/parts/0/content").asText());
        assertEquals("stop", output.at("/0/finish_reason").asText());
    }

    @Test
    void langfuseGetsNoSecondCopyOfTheContentAndCountsUsageOnce() {
        for (LinkedObservation observation : fixture.observations()) {
            Map<String, JsonNode> span = attributes(langfuse.observation(observation).get(0));
            assertFalse(span.containsKey("gen_ai.input.messages"), span.keySet()::toString);
            assertFalse(span.containsKey("gen_ai.output.messages"), span.keySet()::toString);
            // Langfuse takes usage from usage_details when it is there and then ignores gen_ai.usage.*.
            if (span.containsKey("gen_ai.usage.input_tokens")) {
                assertTrue(span.containsKey("langfuse.observation.usage_details"), span.keySet()::toString);
            }
            // Parameters likewise: model.parameters wins over gen_ai.request.*.
            if (span.keySet().stream().anyMatch(key -> key.startsWith("gen_ai.request.") && !key.endsWith(".model"))) {
                assertTrue(span.containsKey("langfuse.observation.model.parameters"), span.keySet()::toString);
            }
        }
    }

    @Test
    void withoutContentCaptureNoMessagesAreSent() {
        ContentPolicy metadataOnly = new ContentPolicy(PrivacyOptions.ContentMode.METADATA,
                Redactor.of(PrivacyOptions.DETECTORS, List.of()));
        for (LinkedObservation observation : fixture.observations()) {
            metadataOnly.apply(observation.record);
            Map<String, JsonNode> span = attributes(otlpSink.observation(observation).get(0));
            assertFalse(span.containsKey("gen_ai.input.messages"), span.keySet()::toString);
            assertFalse(span.containsKey("gen_ai.output.messages"), span.keySet()::toString);
            assertTrue(span.containsKey("gen_ai.operation.name"));
        }
    }

    @Test
    void redactedContentStaysRedactedInTheMessages() {
        ContentPolicy redacting = new ContentPolicy(PrivacyOptions.ContentMode.FULL,
                Redactor.of(List.of("email"), List.of()));
        fixture.speech.record.inputText = "Mail jane.doe@example.com the receipt";
        redacting.apply(fixture.speech.record);
        String messages = string(attributes(otlpSink.observation(fixture.speech).get(0)), "gen_ai.input.messages");
        assertFalse(messages.contains("jane.doe@example.com"), messages);
    }

    @Test
    void theWholeTurnReadsTheSameInProtobuf() throws Exception {
        List<ObjectNode> spans = new ArrayList<>();
        for (LinkedObservation observation : fixture.observations()) {
            spans.addAll(otlpSink.observation(observation));
        }
        spans.addAll(otlpSink.turn(fixture.turn));
        List<byte[]> items = new ArrayList<>();
        spans.forEach(span -> items.add(VoiceTurnFixture.encode(span)));

        byte[] body = new OtlpProtobuf(otlpSink.resourceEnvelope()).request(items);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
        OtlpJsonAssertions.assertSameAttributes(otlpSink.resourceEnvelope().at("/resource/attributes"),
                request.getResourceSpans(0).getResource().getAttributesList(), "resource");
        List<Span> parsed = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
        assertEquals(spans.size(), parsed.size());
        for (int i = 0; i < spans.size(); i++) {
            OtlpJsonAssertions.assertSameSpan(spans.get(i), parsed.get(i));
        }
        assertEquals(4242, request.getResourceSpans(0).getResource().getAttributesList().stream()
                .filter(a -> a.getKey().equals("process.pid")).findFirst().orElseThrow().getValue().getIntValue());
    }

    @Test
    void theJsonRequestWithTheDetectedResourceIsValidForLangfuse() {
        List<byte[]> items = new ArrayList<>();
        for (LinkedObservation observation : fixture.observations()) {
            otlpSink.observation(observation).forEach(span -> items.add(VoiceTurnFixture.encode(span)));
        }
        // The request body exactly as the OTLP sink assembles it.
        String body = new String(otlpSink.wireFormat().encode(items), java.nio.charset.StandardCharsets.UTF_8);
        dev.voicetrace.standin.LangfuseSchema.load().assertValidOtlpRequest(body);
        assertEquals(4242, parse(body).at("/resourceSpans/0/resource/attributes/2/value/intValue").asLong());
    }

    private static JsonNode findPart(JsonNode message, String type) {
        for (JsonNode part : message.get("parts")) {
            if (type.equals(part.path("type").asText())) {
                return part;
            }
        }
        throw new AssertionError("no " + type + " part in " + message);
    }
}
