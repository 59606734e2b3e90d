package dev.voicetrace.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written page: its figures, its embedded data, its escaping, and the command's exit codes. */
class ReportPageTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String INJECTED = "</script><script>alert('owned')</script><img src=x onerror=alert(1)> & more";

    @TempDir
    Path directory;

    /** The demo's events with the caller's words of turn 1 (root span and STT output) replaced. */
    private Path eventsWithInjectedTranscript() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : new String(ReportReadingTest.demoEvents(), StandardCharsets.UTF_8).split("\n")) {
            JsonNode body = MAPPER.readTree(line);
            for (JsonNode span : body.at("/resourceSpans/0/scopeSpans/0/spans")) {
                for (JsonNode attribute : span.get("attributes")) {
                    String key = attribute.get("key").asText();
                    ObjectNode value = (ObjectNode) attribute.get("value");
                    if (value.path("stringValue").asText().contains("Hi, I'm planning a walk")) {
                        if (key.startsWith("langfuse.trace.input") || key.equals("langfuse.observation.input")) {
                            value.put("stringValue", MAPPER.writeValueAsString(INJECTED));
                        } else {
                            value.put("stringValue", MAPPER.writeValueAsString(Collections.singletonMap("text", INJECTED)));
                        }
                    }
                }
            }
            out.append(MAPPER.writeValueAsString(body)).append('\n');
        }
        Path events = directory.resolve("injected.jsonl");
        Files.write(events, out.toString().getBytes(StandardCharsets.UTF_8));
        return events;
    }

    @Test
    void callTextCannotOpenMarkupOrEndTheDataElement() throws IOException {
        Path report = directory.resolve("report.html");
        ReportGenerator.Result result = ReportGenerator.generate(Collections.singletonList(eventsWithInjectedTranscript()),
                report, () -> false);
        String html = new String(Files.readAllBytes(report), StandardCharsets.UTF_8);

        assertEquals(4, result.turns);
        assertFalse(html.contains("alert('owned')</script>"), "the injected script is not in the page as markup");
        assertFalse(html.contains("<img src=x"));
        // Two scripts: the JSON data and the page's code, each closed once.
        assertEquals(2, count(html, "<script"));
        assertEquals(2, count(html, "</script>"));
        assertTrue(html.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert('owned')\\u003c/script\\u003e"));
        // The slowest-turns table, written as HTML, shows the words escaped.
        assertTrue(html.contains("&lt;/script&gt;&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"));
        // The embedded data still parses back to the exact words.
        JsonNode data = MAPPER.readTree(dataElement(html));
        assertEquals(INJECTED, data.at("/turns/0/u").asText());
    }

    @Test
    void pageFiguresAndDataMatchTheFile() throws IOException {
        Path events = directory.resolve("events.jsonl");
        Files.write(events, ReportReadingTest.demoEvents());
        Path report = directory.resolve("out/report.html");

        ReportGenerator.generate(Collections.singletonList(events), report, () -> false);
        String html = new String(Files.readAllBytes(report), StandardCharsets.UTF_8);

        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing is loaded from elsewhere");
        assertTrue(html.contains("<span class=\"value\" id=\"count-sessions\">1</span>"));
        assertTrue(html.contains("<span class=\"value\" id=\"count-turns\">4</span>"));
        assertTrue(html.contains("<span class=\"value\" id=\"count-observations\">13</span>"));
        // voice-to-voice of the four turns: 1919.65, 287.907, 140.598, 166.528 ms (nearest rank).
        assertTrue(html.contains("data-stat=\"p50\" data-value=\"166.528\">166.5 ms</td>"), html);
        assertTrue(html.contains("data-stat=\"p90\" data-value=\"1919.65\">1919.7 ms</td>"));
        JsonNode data = MAPPER.readTree(dataElement(html));
        assertEquals(1, data.get("sessions").size());
        assertEquals(4, data.get("turns").size());
        assertEquals(4, data.at("/turns/0/o").size());
        assertEquals("stt", data.at("/turns/0/o/0/g").asText());
        assertEquals("tts", data.at("/turns/0/o/3/g").asText());
        assertTrue(data.at("/turns/0/o/3/f").isNumber(), "first audio byte of the speech");
        assertEquals(4, data.at("/sessions/0/3").asInt());
        try (java.util.stream.Stream<Path> left = Files.list(report.getParent())) {
            assertEquals(Collections.singletonList(report), Arrays.asList(left.toArray(Path[]::new)),
                    "no scratch file is left behind");
        }
    }

    @Test
    void callTextIsKeptWithinItsBudgetAndLaterTurnsKeepTheirFigures() throws IOException {
        java.io.StringWriter turns = new java.io.StringWriter();
        ReportData data = new ReportData(turns, 6000);
        TurnAssembler assembler = new TurnAssembler(data);
        Path events = directory.resolve("events.jsonl");
        Files.write(events, ReportReadingTest.demoEvents());
        new EventFilesReader(assembler, new InputSummary(), () -> false).read(events);
        assembler.finish();

        JsonNode written = MAPPER.readTree("[" + turns + "]");
        assertEquals(4, written.size());
        int withText = 0;
        for (JsonNode turn : written) {
            boolean omitted = turn.path("nt").asInt() == 1;
            for (JsonNode observation : turn.get("o")) {
                assertEquals(omitted, !observation.has("in"), turn.toString());
                assertTrue(observation.has("d") && observation.has("g"), "figures are always kept");
            }
            assertTrue(turn.get("u").isTextual() && turn.get("m").has("voice_to_voice_ms"));
            withText += omitted ? 0 : 1;
        }
        assertEquals(4 - data.turnsWithoutCallText, withText);
        assertTrue(withText >= 1 && withText < 4, "the budget holds some turns' text, not all: " + withText);
    }

    @Test
    void commandExitCodesAndMessages() throws IOException {
        Path events = directory.resolve("events.jsonl");
        Files.write(events, ReportReadingTest.demoEvents());
        Path report = directory.resolve("r.html");

        Run ok = command(events.toString(), "-o", report.toString());
        assertEquals(ReportCommand.OK, ok.code, ok.err);
        assertTrue(ok.out.endsWith("report written to " + report.toAbsolutePath() + "\n"), ok.out);
        assertTrue(ok.out.contains("1 sessions, 4 turns, 13 observations"), ok.out);

        Path broken = directory.resolve("broken.jsonl");
        Files.write(broken, (new String(ReportReadingTest.demoEvents(), StandardCharsets.UTF_8) + "{\"resourceSpans\":[")
                .getBytes(StandardCharsets.UTF_8));
        Run partly = command(broken.toString(), "-o", report.toString());
        assertEquals(ReportCommand.WRITTEN_WITH_PROBLEMS, partly.code);
        assertTrue(partly.err.contains(broken + ":4: the last line is cut short"), partly.err);
        assertTrue(partly.err.contains("skipped 1 of 4 lines"), partly.err);

        Path nowhere = directory.resolve("nowhere.jsonl");
        Path unwritten = directory.resolve("unwritten.html");
        Run missing = command(nowhere.toString(), "-o", unwritten.toString());
        assertEquals(ReportCommand.FAILED, missing.code);
        assertTrue(missing.err.contains(nowhere + ": no such file"), missing.err);
        assertFalse(Files.exists(unwritten));

        assertEquals(ReportCommand.USAGE, command("--bogus").code);
        assertEquals(ReportCommand.USAGE, command(events.toString(), "-o").code);
    }

    @Test
    void reportAtExitBesideTheEventsFileUnlessNone() throws IOException {
        Path events = directory.resolve("events.jsonl");
        Files.write(events, ReportReadingTest.demoEvents());

        assertNull(ReportAtExit.write(events.toString(), "none"));
        assertFalse(Files.exists(directory.resolve("voicetrace-report.html")));

        String written = ReportAtExit.write(events.toString(), null);
        assertEquals(directory.resolve("voicetrace-report.html").toAbsolutePath().toString(), written);
        assertTrue(Files.size(Path.of(written)) > 10_000);

        assertNull(ReportAtExit.write(directory.resolve("absent.jsonl").toString(), null));
    }

    @Test
    void aReportNotFinishedInTimeIsAbandonedAndLeavesNothing() throws IOException, InterruptedException {
        byte[] demo = ReportReadingTest.demoEvents();
        Path events = directory.resolve("big.jsonl");
        try (java.io.OutputStream out = Files.newOutputStream(events)) {
            for (int i = 0; i < 200; i++) {
                out.write(demo);
            }
        }
        Path late = directory.resolve("late.html");

        assertNull(ReportAtExit.writeWithin(events, late, 1));

        for (int wait = 0; wait < 100 && leftovers() > 0; wait++) {
            Thread.sleep(50);
        }
        assertEquals(0, leftovers(), "the cancelled writer removes its scratch files");
        assertFalse(Files.exists(late));
    }

    private long leftovers() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".voicetrace-report-")).count();
        }
    }

    private static final class Run {
        int code;
        String out;
        String err;
    }

    private static Run command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Run run = new Run();
        run.code = ReportCommand.run(Arrays.asList(args), new PrintStream(out, true), new PrintStream(err, true));
        run.out = out.toString();
        run.err = err.toString();
        return run;
    }

    static String dataElement(String html) {
        Matcher matcher = Pattern.compile("(?s)<script type=\"application/json\" id=\"vt-data\">(.*?)</script>").matcher(html);
        assertTrue(matcher.find());
        return matcher.group(1);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
