package dev.voicetrace.agent.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.config.PrivacyOptions;
import dev.voicetrace.agent.config.PrivacyOptions.ContentMode;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.link.Records;
import dev.voicetrace.agent.link.SequentialIds;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.projection.IngestionProjector;
import dev.voicetrace.agent.projection.OtlpProjector;
import dev.voicetrace.agent.projection.ProjectionContext;
import dev.voicetrace.agent.projection.Projector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The policy applied as the pipeline applies it: after linking, before projection. What the
 * projectors then write holds no personal data (full mode) or no content at all (metadata mode),
 * while linking by text still works on the raw words.
 */
class ContentPolicyTest {

    static final String CARD = "4111 1111 1111 1111";
    static final String EMAIL = "ana.silva@example.com";
    static final String PHONE = "+44 20 7946 0958";
    static final String TRANSCRIPT = "My card is " + CARD + ", mail " + EMAIL + ", phone " + PHONE + ".";
    static final String REPLY = "Thanks, I noted card " + CARD + " and will write to " + EMAIL + ".";

    private final SequentialIds ids = new SequentialIds();
    private final Linker linker = new Linker(ids, "default-session", TimeUnit.SECONDS.toNanos(30));

    private static ContentPolicy policy(ContentMode mode) {
        return new ContentPolicy(mode, Redactor.of(PrivacyOptions.DETECTORS, Collections.emptyList()));
    }

    private static StageRecord llmWithToolCall() throws Exception {
        StageRecord llm = Records.inSession(Records.llm(TRANSCRIPT, REPLY, 500, 900), "call-7");
        llm.input = Json.read(("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":" + Json.write(com.fasterxml.jackson.databind.node.TextNode
                .valueOf(TRANSCRIPT)) + "}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"take_payment\"}}]}")
                .getBytes(StandardCharsets.UTF_8));
        llm.output = Json.read(("{\"role\":\"assistant\",\"content\":\"" + REPLY + "\",\"tool_calls\":[{\"type\":"
                + "\"function\",\"function\":{\"name\":\"take_payment\",\"arguments\":\"{\\\"card\\\":\\\"" + CARD
                + "\\\",\\\"phone\\\":\\\"" + PHONE + "\\\"}\"}}],\"finish_reason\":\"tool_calls\"}")
                .getBytes(StandardCharsets.UTF_8));
        llm.error = "com.openai.errors.BadRequestException: 400: card " + CARD + " declined for " + EMAIL;
        llm.metadata.put("extraction_error", "java.lang.IllegalStateException: bad " + PHONE);
        llm.modelParameters.put("temperature", 0.2);
        llm.modelParameters.put("stop", "call " + PHONE);
        llm.modelParameters.put("reasoning_effort", "low");
        return llm;
    }

    private static String exported(Projector projector, LinkedObservation observation, Turn turn) {
        List<byte[]> items = new ArrayList<>(projector.encodedObservation(observation));
        items.addAll(projector.encodedTurn(turn));
        StringBuilder all = new StringBuilder();
        for (byte[] item : items) {
            all.append(new String(item, StandardCharsets.UTF_8)).append('\n');
        }
        return all.toString();
    }

    private static List<Projector> projectors() {
        ProjectionContext context = new ProjectionContext("svc", null, null, "test", new SequentialIds(), () -> Records.T0);
        return List.of(new OtlpProjector(context), new IngestionProjector(context));
    }

    @Test
    void fullModeRedactsEveryExportedStringAndCountsTheRedactions() throws Exception {
        ContentPolicy policy = policy(ContentMode.FULL);
        StageRecord stt = Records.inSession(Records.stt(TRANSCRIPT, 0, 400), "call-7");
        linker.link(stt);
        assertEquals(3, policy.apply(stt));
        StageRecord llm = llmWithToolCall();
        LinkedObservation observation = linker.link(llm).observation;
        assertEquals("content", observation.linkedBy, "linked on the raw transcript");
        int redactions = policy.apply(llm);
        assertEquals(Integer.toString(redactions), llm.metadata.get("redactions"));
        assertTrue(redactions >= 11, "redactions: " + redactions);
        assertEquals("call [phone]", llm.modelParameters.get("stop"));
        assertEquals("com.openai.errors.BadRequestException: 400: card [card] declined for [email]", llm.error);
        assertTrue(llm.output.toString().contains("\\\"card\\\":\\\"[card]\\\""), llm.output.toString());

        Turn turn = observation.turn;
        linker.closeAll();
        assertEquals("My card is [card], mail [email], phone [phone].", turn.userText());
        for (Projector projector : projectors()) {
            String out = exported(projector, observation, turn);
            for (String secret : List.of(CARD, EMAIL, PHONE, "4111111111111111", "7946 0958")) {
                assertFalse(out.contains(secret), secret + " in " + out);
            }
            assertTrue(out.contains("[card]") && out.contains("[email]") && out.contains("[phone]"), out);
        }
    }

    @Test
    void linkingKeysAreTakenBeforeRedactionSoLaterCallsStillMatchTheRawText() {
        ContentPolicy policy = policy(ContentMode.FULL);
        StageRecord llm = Records.llm("what is open now?", REPLY, 0, 100);
        linker.link(llm);
        policy.apply(llm);
        assertTrue(llm.outputText.contains("[card]"));
        // The speech call carries the raw reply the application got back: it still links to the model call.
        LinkedObservation speech = linker.link(Records.tts(REPLY, 150, 300)).observation;
        assertEquals("content", speech.linkedBy);
    }

    @Test
    void metadataModeLeavesNoTextAtAllButShapeSizesAndFacts() throws Exception {
        ContentPolicy policy = policy(ContentMode.METADATA);
        StageRecord stt = Records.inSession(Records.stt(TRANSCRIPT, 0, 400), "call-7");
        linker.link(stt);
        policy.apply(stt);
        StageRecord llm = llmWithToolCall();
        llm.usage.put("input", 120L);
        LinkedObservation observation = linker.link(llm).observation;
        policy.apply(llm);
        Turn turn = observation.turn;
        linker.closeAll();

        assertNull(llm.inputText);
        assertNull(llm.outputText);
        assertNull(turn.userText());
        assertNull(turn.replyText());
        assertEquals("omitted", llm.metadata.get("content"));
        assertEquals(Integer.toString(TRANSCRIPT.length()), llm.metadata.get("input_chars"));
        assertEquals("com.openai.errors.BadRequestException", llm.error);
        assertEquals("java.lang.IllegalStateException", llm.metadata.get("extraction_error"));
        assertEquals("low", llm.modelParameters.get("reasoning_effort"));
        assertFalse(llm.modelParameters.containsKey("stop"));
        JsonNode messages = llm.input.get("messages");
        assertEquals("user", messages.get(1).get("role").asText());
        assertEquals("[" + TRANSCRIPT.length() + " chars]", messages.get(1).get("content").asText());
        assertEquals("gpt-4o-mini", llm.input.get("model").asText());
        assertEquals("tool_calls", llm.output.get("finish_reason").asText());

        for (Projector projector : projectors()) {
            String out = exported(projector, observation, turn);
            for (String text : List.of(CARD, EMAIL, PHONE, "My card", "Thanks", "declined", "Be brief", "take_payment")) {
                assertFalse(out.contains(text), text + " in " + out);
            }
            assertTrue(out.contains("120"), "usage still exported: " + out);
        }
    }

    @Test
    void anInactivePolicyChangesNothing() throws Exception {
        assertFalse(ContentPolicy.FULL.isActive());
        StageRecord llm = llmWithToolCall();
        String before = llm.input.toString() + llm.output + llm.error;
        assertEquals(0, new ContentPolicy(ContentMode.FULL, Redactor.NONE).apply(llm));
        assertEquals(before, llm.input.toString() + llm.output + llm.error);
        assertFalse(llm.metadata.containsKey("redactions"));
    }

    @Test
    void stringsAreRedactedAtEveryDepthInArraysObjectsAndAtTheRoot() throws Exception {
        ContentPolicy policy = policy(ContentMode.FULL);
        StageRecord llm = Records.inSession(Records.llm(TRANSCRIPT, REPLY, 500, 900), "call-8");
        // Objects and arrays alternating 3,000 levels deep, a card number in a list of strings at the bottom.
        com.fasterxml.jackson.databind.node.ArrayNode bottom = Json.array().add("card " + CARD).add(7).add("plain");
        JsonNode tree = bottom;
        for (int i = 0; i < 1_500; i++) {
            com.fasterxml.jackson.databind.node.ObjectNode object = Json.object();
            object.put("mail", EMAIL).set("next", tree);
            tree = Json.array().add(object).add("call " + PHONE);
        }
        llm.input = tree;
        llm.output = com.fasterxml.jackson.databind.node.TextNode.valueOf("write to " + EMAIL);
        llm.inputText = null;
        llm.outputText = null;

        assertEquals(1 + 1_500 * 2 + 1, policy.apply(llm), "every string at every depth, the root's too");

        assertEquals("write to [email]", llm.output.textValue());
        JsonNode node = llm.input;
        for (int i = 0; i < 1_500; i++) {
            assertEquals("call [phone]", node.get(1).textValue());
            assertEquals("[email]", node.get(0).get("mail").textValue());
            node = node.get(0).get("next");
        }
        assertEquals("card [card]", node.get(0).textValue());
        assertEquals(7, node.get(1).intValue());
        assertEquals("plain", node.get(2).textValue());
    }
}
