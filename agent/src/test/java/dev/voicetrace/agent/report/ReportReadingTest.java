package dev.voicetrace.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the agent's JSON-lines files into turns, from a file the agent wrote running the demo. */
class ReportReadingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path directory;

    static byte[] demoEvents() throws IOException {
        try (InputStream in = ReportReadingTest.class.getResourceAsStream("/report/demo-events.jsonl")) {
            return in.readAllBytes();
        }
    }

    static final class Read {
        final List<ReportTurn> turns = new ArrayList<>();
        final InputSummary summary = new InputSummary();
    }

    static Read read(Path... files) {
        Read read = new Read();
        TurnAssembler assembler = new TurnAssembler(read.turns::add);
        EventFilesReader reader = new EventFilesReader(assembler, read.summary, () -> false);
        for (Path file : files) {
            reader.read(file);
        }
        assembler.finish();
        return read;
    }

    private Path file(String name, byte[] content) throws IOException {
        Path file = directory.resolve(name);
        Files.write(file, content);
        return file;
    }

    private Path file(String name, String content) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void demoFileBecomesOneSessionOfFourTurnsWithTheirRootFigures() throws IOException {
        Read read = read(file("events.jsonl", demoEvents()));

        assertEquals(0, read.summary.problems(), read.summary.messages().toString());
        assertEquals(3, read.summary.lines());
        assertEquals(17, read.summary.spans());
        assertEquals(4, read.turns.size());
        assertEquals(1, read.turns.stream().map(t -> t.sessionId).distinct().count());
        assertTrue(read.turns.get(0).sessionId.startsWith("conversation-"));
        assertEquals(Arrays.asList(1, 2, 3, 4), read.turns.stream().map(t -> t.turnIndex).collect(Collectors.toList()));

        ReportTurn first = read.turns.get(0);
        assertTrue(first.complete);
        assertEquals("voice-turn", first.name);
        assertEquals("Hi, I'm planning a walk this afternoon. What's the weather like in Lisbon right now?", first.userText);
        assertTrue(first.replyText.startsWith("It's sunny in Lisbon"), first.replyText);
        assertEquals(Arrays.asList("stt", "llm", "llm", "tts"),
                first.observations.stream().map(o -> o.stage).collect(Collectors.toList()));
        assertEquals(1919.65, first.latencies().get("voice_to_voice_ms"));
        assertNull(first.latencies().get("llm_time_to_first_token_ms"), "turn 1's spoken reply did not stream");
        assertEquals(411, first.tokens());
        assertEquals(0.00207225, first.cost(), 1e-12);

        ReportObservation toolCall = first.observations.get(1);
        assertEquals("gpt-4o-mini-2024-07-18", toolCall.model);
        assertEquals("openai", toolCall.provider);
        assertEquals(169, toolCall.tokens);
        assertEquals(1, toolCall.toolCalls.size());
        assertTrue(toolCall.toolCalls.get(0).startsWith("get_weather("), toolCall.toolCalls.toString());
        ReportObservation speech = first.observations.get(3);
        assertTrue(speech.firstOutputNanos > speech.startNanos && speech.firstOutputNanos <= speech.endNanos);
        assertEquals(-1, speech.tokens, "characters are not tokens");
        assertEquals(0.001725, speech.cost, 1e-12);

        ReportTurn second = read.turns.get(1);
        assertEquals(164.494, second.latencies().get("llm_time_to_first_token_ms"));
        assertEquals(287.907, second.latencies().get("voice_to_voice_ms"));
    }

    @Test
    void spooledSpansOneALineReadAsTheRequestBodies() throws IOException {
        StringBuilder spool = new StringBuilder();
        for (String line : new String(demoEvents(), StandardCharsets.UTF_8).split("\n")) {
            for (JsonNode resource : MAPPER.readTree(line).get("resourceSpans")) {
                for (JsonNode span : resource.get("scopeSpans").get(0).get("spans")) {
                    spool.append(MAPPER.writeValueAsString(span)).append('\n');
                }
            }
        }
        Path spoolDirectory = Files.createDirectories(directory.resolve("spool"));
        Files.write(spoolDirectory.resolve("batch-0000000000000000001-000001.otlp.jsonl"),
                spool.toString().getBytes(StandardCharsets.UTF_8));

        Read read = read(spoolDirectory);

        assertEquals(0, read.summary.problems(), read.summary.messages().toString());
        assertEquals(17, read.summary.spans());
        assertEquals(4, read.turns.size());
        assertEquals(13, read.turns.stream().mapToInt(t -> t.observations.size()).sum());
        assertTrue(read.turns.stream().allMatch(t -> t.complete));
    }

    @Test
    void badLinesAreNamedByFileAndLineAndTheRestIsRead() throws IOException {
        String[] demo = new String(demoEvents(), StandardCharsets.UTF_8).split("\n");
        String content = demo[0] + "\n"
                + "this is not JSON\n"
                + "\n"
                + "{\"batch\":[{\"type\":\"trace-create\"}]}\n"
                + "[1,2,3]\n"
                + demo[1] + "\n"
                + demo[2] + "\n"
                + demo[0].substring(0, demo[0].length() / 2);
        Path events = file("events.jsonl", content);

        Read read = read(events);

        List<String> messages = read.summary.messages();
        assertEquals(4, read.summary.skippedLines(), messages.toString());
        assertEquals(4, messages.size(), messages.toString());
        assertTrue(messages.get(0).startsWith(events + ":2: not JSON"), messages.get(0));
        assertTrue(messages.get(1).startsWith(events + ":4: neither an OTLP request body"), messages.get(1));
        assertTrue(messages.get(1).contains("legacy ingestion format"), messages.get(1));
        assertTrue(messages.get(2).startsWith(events + ":5: not a JSON object"), messages.get(2));
        assertTrue(messages.get(3).startsWith(events + ":8: the last line is cut short"), messages.get(3));
        assertEquals(4, read.turns.size(), "the good lines are all read");
        assertEquals(7, read.summary.lines(), "the blank line is not counted");
    }

    @Test
    void emptyAndMissingFilesAreSaid() throws IOException {
        Path empty = file("empty.jsonl", "");
        Path missing = directory.resolve("missing.jsonl");

        Read read = read(empty, missing);

        assertEquals(Arrays.asList(empty + ": empty, no events in it", missing + ": no such file"),
                read.summary.messages());
        assertTrue(read.turns.isEmpty());
    }

    @Test
    void aTurnWhoseRootIsMissingIsKeptIncompleteWithFiguresFromItsObservations() throws IOException {
        String[] demo = new String(demoEvents(), StandardCharsets.UTF_8).split("\n");
        // The first line holds turn 1's STT call only; its other spans come in later lines.
        JsonNode firstLine = MAPPER.readTree(demo[0]);
        JsonNode secondLine = MAPPER.readTree(demo[1]);
        int spansInSecond = secondLine.get("resourceSpans").get(0).get("scopeSpans").get(0).get("spans").size();
        assertTrue(spansInSecond > 1);
        Read read = read(file("cut.jsonl", demo[0] + "\n" + demo[1] + "\n"));

        List<ReportTurn> incomplete = read.turns.stream().filter(t -> !t.complete).collect(Collectors.toList());
        assertFalse(incomplete.isEmpty());
        ReportTurn turn = incomplete.get(incomplete.size() - 1);
        assertTrue(turn.latencies().containsKey("stt_latency_ms"), turn.latencies().toString());
        assertTrue(turn.heard() != null && !turn.heard().isEmpty(), "the transcript stands for the caller's words");
        assertEquals(1, firstLine.get("resourceSpans").size());
    }

    @Test
    void openTurnsAreBounded() {
        List<ReportTurn> handedOn = new ArrayList<>();
        TurnAssembler assembler = new TurnAssembler(handedOn::add, 2);
        for (int i = 0; i < 5; i++) {
            ReportSpan span = new ReportSpan();
            span.traceId = "trace-" + i;
            span.spanId = "span-" + i;
            span.parentSpanId = "root-" + i;
            span.name = "llm openai.chat.completions";
            assembler.add(span);
        }
        assertEquals(Arrays.asList("trace-0", "trace-1", "trace-2"),
                handedOn.stream().map(t -> t.traceId).collect(Collectors.toList()));
        assembler.finish();
        assertEquals(5, handedOn.size());
    }

    @Test
    void observationTypesAreDrawnGenerically() {
        ReportSpan tool = new ReportSpan();
        tool.traceId = "t";
        tool.spanId = "s";
        tool.parentSpanId = "r";
        tool.name = "get_weather";
        tool.attributes.put("langfuse.observation.type", "tool");
        tool.attributes.put("langfuse.observation.input", "{\"city\":\"Lisbon\"}");
        assertEquals("tool", ReportObservation.of(tool).stage);
        assertEquals("get_weather {\"city\":\"Lisbon\"}", ReportObservation.of(tool).toolCalls.get(0));

        ReportSpan generation = new ReportSpan();
        generation.name = "tts elevenlabs.text-to-speech";
        generation.attributes.put("langfuse.observation.type", "generation");
        assertEquals("tts", ReportObservation.of(generation).stage);

        ReportSpan other = new ReportSpan();
        other.name = "retrieval";
        other.attributes.put("langfuse.observation.type", "retriever");
        assertEquals("other", ReportObservation.of(other).stage);
    }

    @Test
    void tokensAreTheTotalOrTheSumOfTheBucketsAndCostTheTotal() {
        assertEquals(211, ReportObservation.tokensOf("{\"input\":182,\"output\":29,\"total\":211,\"input_cached_tokens\":0}"));
        assertEquals(60, ReportObservation.tokensOf("{\"input\":40,\"input_cached_tokens\":10,\"output\":10}"));
        assertEquals(-1, ReportObservation.tokensOf("{\"input_characters\":115}"));
        assertEquals(-1, ReportObservation.tokensOf("not json"));
        assertEquals(0.00027, ReportObservation.costOf("{\"input_audio_tokens\":0.00006,\"output\":0.00021,\"total\":0.00027}"));
        assertEquals(0.3, ReportObservation.costOf("{\"input\":0.1,\"output\":0.2}"), 1e-12);
        assertTrue(Double.isNaN(ReportObservation.costOf("{}")));
    }

    /** A line's spans: ids, times given as strings or numbers, status, and every kind of attribute value as text. */
    @Test
    void aLinesSpansAndAttributeValuesOfEveryKindAreRead() throws Exception {
        String line = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"voice-bot\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},"
                + "\"spans\":[{\"traceId\":\"t1\",\"spanId\":\"s1\",\"parentSpanId\":\"\",\"name\":\"voice-turn\","
                + "\"kind\":1,\"startTimeUnixNano\":\"1000\",\"endTimeUnixNano\":2500,"
                + "\"attributes\":[{\"key\":\"a.string\",\"value\":{\"stringValue\":\"caf\u00e9 \\\"q\\\"\"}},"
                + "{\"key\":\"a.int\",\"value\":{\"intValue\":42}},{\"key\":\"a.double\",\"value\":{\"doubleValue\":0.25}},"
                + "{\"key\":\"a.bool\",\"value\":{\"boolValue\":true}},{\"key\":\"a.null\",\"value\":{\"stringValue\":null}},"
                + "{\"key\":\"a.array\",\"value\":{\"arrayValue\":{\"values\":[]}}}],"
                + "\"status\":{\"code\":2,\"message\":\"boom\"}}]}]}]}";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        List<ReportSpan> spans = OtlpLineParser.parse(bytes, bytes.length);
        assertEquals(1, spans.size());
        ReportSpan span = spans.get(0);
        assertEquals("t1", span.traceId);
        assertEquals("s1", span.spanId);
        assertTrue(span.isRoot());
        assertEquals("voice-turn", span.name);
        assertEquals("voice-bot", span.serviceName);
        assertEquals(1000, span.startNanos);
        assertEquals(2500, span.endNanos);
        assertEquals(2, span.statusCode);
        assertEquals("boom", span.statusMessage);
        assertEquals("caf\u00e9 \"q\"", span.attribute("a.string"));
        assertEquals("42", span.attribute("a.int"));
        assertEquals(0.25, Double.parseDouble(span.attribute("a.double")));
        assertEquals("true", span.attribute("a.bool"));
        assertFalse(span.attributes.containsKey("a.null"));
        assertFalse(span.attributes.containsKey("a.array"));

        byte[] two = "{\"traceId\":\"t\",\"spanId\":\"s\"} {}".getBytes(StandardCharsets.UTF_8);
        OtlpLineParser.LineException twoValues = org.junit.jupiter.api.Assertions.assertThrows(
                OtlpLineParser.LineException.class, () -> OtlpLineParser.parse(two, two.length));
        assertTrue(twoValues.notJson, twoValues::getMessage);
        byte[] badTime = "{\"traceId\":\"t\",\"spanId\":\"s\",\"startTimeUnixNano\":\"soon\"}"
                .getBytes(StandardCharsets.UTF_8);
        OtlpLineParser.LineException time = org.junit.jupiter.api.Assertions.assertThrows(
                OtlpLineParser.LineException.class, () -> OtlpLineParser.parse(badTime, badTime.length));
        assertTrue(time.getMessage().contains("not a number of nanoseconds"), time::getMessage);
        byte[] objectId = "{\"traceId\":{},\"spanId\":\"s\"}".getBytes(StandardCharsets.UTF_8);
        OtlpLineParser.LineException id = org.junit.jupiter.api.Assertions.assertThrows(
                OtlpLineParser.LineException.class, () -> OtlpLineParser.parse(objectId, objectId.length));
        assertEquals("expected a value for traceId but found an object", id.getMessage());
    }
}
