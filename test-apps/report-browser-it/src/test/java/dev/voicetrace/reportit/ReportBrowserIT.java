package dev.voicetrace.reportit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The HTML report opened in headless Chromium, checked for what a person sees: the sessions and
 * turns, a waterfall bar per observation, the latency percentiles (worked out here from the
 * events file, independently of the agent), call text shown as text, and no request leaving the
 * page. The applications run under the agent in separate JVMs; the report of the demo is the one
 * the agent wrote at exit.
 */
class ReportBrowserIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path ARTEFACTS = Paths.get(System.getProperty("report.artefacts", "target/report-browser"));
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final String[] FIGURES = {
        "stt_latency_ms", "llm_time_to_first_token_ms", "tts_time_to_first_byte_ms", "voice_to_voice_ms"
    };
    private static final String INJECTED = "</script><script>window.__owned = 1</script>"
            + "<img src=x onerror=\"window.__owned = 2\"> What's the weather like?";

    static Path demoDirectory;
    static Browser browser;

    @BeforeAll
    static void runTheDemoAndStartTheBrowser() throws Exception {
        Files.createDirectories(ARTEFACTS);
        demoDirectory = fresh("demo");
        JavaRun demo = JavaRun.run(demoDirectory, RUN_TIMEOUT, "-javaagent:" + JavaRun.AGENT_JAR, "-jar",
                JavaRun.VOICE_APP_JAR.toString());
        assertEquals(0, demo.exitCode, demo::toString);
        Path report = demoDirectory.resolve("voicetrace-report.html").toAbsolutePath();
        String lastLine = demo.stderr.trim().substring(demo.stderr.trim().lastIndexOf('\n') + 1);
        assertTrue(lastLine.contains("Voicetrace stopped: ") && lastLine.endsWith("; report " + report),
                "the shutdown line names the report: " + demo.stderr);
        browser = new Browser(fresh("chromium-profile"));
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void demoReportShowsItsFourTurnsAsWaterfalls() throws Exception {
        EventsFile events = EventsFile.read(demoDirectory.resolve("voicetrace-events.jsonl"));
        Path report = demoDirectory.resolve("voicetrace-report.html");
        browser.open(report, null);

        assertEquals("1", text(By.id("count-sessions")));
        assertEquals("4", text(By.id("count-turns")));
        assertPercentilesAsComputedFrom(events);
        List<WebElement> sessionRows = browser.driver.findElements(By.cssSelector("#session-table tbody tr"));
        assertEquals(1, sessionRows.size());
        assertEquals(events.sessions.iterator().next(), sessionRows.get(0).findElement(By.cssSelector("td.id")).getText());

        sessionRows.get(0).click();
        List<WebElement> turns = browser.driver.findElements(By.cssSelector("#conversation article.turn"));
        assertEquals(4, turns.size());
        assertWaterfallsMatch(events, turns);
        for (WebElement turn : turns) {
            JsonNode root = events.rootByTrace.get(turn.getAttribute("data-trace"));
            String heard = MAPPER.readTree(EventsFile.attribute(root, "langfuse.trace.input")).asText();
            assertEquals("caller\n" + heard, turn.findElement(By.cssSelector(".bubble.caller")).getText());
            assertTrue(turn.findElement(By.cssSelector("svg.waterfall")).isDisplayed());
        }
        // Turn 1 asked for the weather with a tool call; its speech has a first-byte marker and
        // the voice-to-voice bracket spans the turn.
        WebElement first = turns.get(0);
        assertTrue(first.findElement(By.cssSelector(".bubble.tool")).getText().contains("get_weather("));
        assertFalse(first.findElements(By.cssSelector("svg.waterfall path.marker")).isEmpty());
        assertTrue(first.findElement(By.cssSelector("svg.waterfall text.v2v-label")).getText().startsWith("voice-to-voice "));

        WebElement llmBar = first.findElements(By.cssSelector("rect.bar.llm")).get(0);
        llmBar.click();
        String details = first.findElement(By.cssSelector("table.observation-details")).getText();
        assertTrue(details.contains("model gpt-4o-mini"), details);
        assertTrue(details.contains("tokens"), details);

        assertNothingLeftThePage();
        browser.screenshot(ARTEFACTS.resolve("demo-report.png"));
    }

    @Test
    void concurrentCallsReportShowsEverySessionAndTurn() throws Exception {
        Path directory = fresh("concurrent");
        // Asked for: an events file of this size is not reported at exit by default.
        JavaRun calls = JavaRun.run(directory, RUN_TIMEOUT, "-Dvoicetrace.report.path="
                + directory.resolve("voicetrace-report.html").toAbsolutePath(), "-javaagent:" + JavaRun.AGENT_JAR, "-cp",
                JavaRun.VOICE_APP_JAR.toString(), "dev.voicetrace.testapp.openai.ConcurrentCallsApp",
                "--calls", "50", "--turns", "5", "--mdc", "--streaming");
        assertEquals(0, calls.exitCode, calls::toString);
        EventsFile events = EventsFile.read(directory.resolve("voicetrace-events.jsonl"));
        assertEquals(50, events.sessions.size());
        assertEquals(250, events.rootByTrace.size());
        Path report = directory.resolve("voicetrace-report.html");
        assertTrue(calls.stderr.trim().endsWith("; report " + report), calls::toString);

        browser.open(report, null);

        assertEquals("50", text(By.id("count-sessions")));
        assertEquals("250", text(By.id("count-turns")));
        assertEquals(50, browser.driver.findElements(By.cssSelector("#session-table tbody tr")).size());
        assertTrue(text(By.id("session-pager")).contains("page 1 of 1 (50 sessions)"));
        assertPercentilesAsComputedFrom(events);

        // Sorting by turns, then opening a session: its five turns, each with its waterfall.
        browser.driver.findElement(By.cssSelector("#session-table th[data-key=turns]")).click();
        WebElement row = browser.driver.findElements(By.cssSelector("#session-table tbody tr")).get(17);
        String session = row.findElement(By.cssSelector("td.id")).getText();
        row.click();
        assertEquals(session, text(By.id("conversation-title")));
        List<WebElement> turns = browser.driver.findElements(By.cssSelector("#conversation article.turn"));
        assertEquals(5, turns.size());
        assertWaterfallsMatch(events, turns);
        for (WebElement turn : turns) {
            JsonNode root = events.rootByTrace.get(turn.getAttribute("data-trace"));
            assertEquals(session, EventsFile.attribute(root, "langfuse.session.id"));
        }

        // The slowest turn's link opens its session at that turn.
        String slowest = events.rootByTrace.entrySet().stream()
                .filter(e -> EventsFile.attribute(e.getValue(), "langfuse.trace.metadata.voice_to_voice_ms") != null)
                .max(Comparator.comparingDouble(e -> Double.parseDouble(
                        EventsFile.attribute(e.getValue(), "langfuse.trace.metadata.voice_to_voice_ms"))))
                .get().getKey();
        browser.driver.findElement(By.cssSelector("#slowest tbody tr a")).click();
        WebElement highlighted = browser.driver.findElement(By.cssSelector("article.turn.highlight"));
        assertEquals(slowest, highlighted.getAttribute("data-trace"));

        assertNothingLeftThePage();
        browser.screenshot(ARTEFACTS.resolve("concurrent-calls-report.png"));
    }

    @Test
    void injectedScriptInATranscriptIsShownAsTextAndSessionsArePaged() throws Exception {
        Path directory = fresh("injected");
        Path events = directory.resolve("injected-events.jsonl");
        SyntheticEvents synthetic = new SyntheticEvents(demoDirectory.resolve("voicetrace-events.jsonl"));
        synthetic.write(events, 60 * synthetic.turnsPerCopy(), false, 13, copy -> (key, value) -> {
            if (copy == 0 && value.contains("Hi, I'm planning a walk this afternoon.")) {
                return key.startsWith("langfuse.trace.") || key.equals("langfuse.observation.input")
                        ? quoted(INJECTED) : quoted(Map.of("text", INJECTED));
            }
            return value;
        });
        Path report = directory.resolve("report.html");
        JavaRun command = JavaRun.run(directory, RUN_TIMEOUT, "-jar", JavaRun.AGENT_JAR.toString(), "report",
                events.toString(), "-o", report.toString());
        assertEquals(0, command.exitCode, command::toString);
        assertTrue(command.stdout.trim().endsWith("report written to " + report.toAbsolutePath()), command::toString);

        browser.open(report, "session-0");

        assertEquals("60", text(By.id("count-sessions")));
        assertEquals(String.valueOf(60 * synthetic.turnsPerCopy()), text(By.id("count-turns")));
        WebElement caller = browser.driver.findElement(By.cssSelector("#conversation article.turn .bubble.caller"));
        assertEquals("caller\n" + INJECTED, caller.getText());
        assertNull(browser.script("return window.__owned === undefined ? null : window.__owned"), "no injected code ran");
        assertEquals(2L, browser.script("return document.scripts.length"));
        assertEquals(0L, browser.script("return document.images.length"));

        assertEquals(50, browser.driver.findElements(By.cssSelector("#session-table tbody tr")).size());
        assertTrue(text(By.id("session-pager")).contains("page 1 of 2 (60 sessions)"));
        browser.driver.findElement(By.xpath("//span[@id='session-pager']/button[contains(., 'next')]")).click();
        assertEquals(10, browser.driver.findElements(By.cssSelector("#session-table tbody tr")).size());
        browser.driver.findElement(By.id("session-filter")).sendKeys("synthetic-00004");
        assertEquals(10, browser.driver.findElements(By.cssSelector("#session-table tbody tr")).size(),
                "sessions 40 to 49 match");
        assertNothingLeftThePage();
    }

    @Test
    void tenThousandTurnsKeepTheDomSmall() throws Exception {
        Path directory = fresh("large");
        Path events = directory.resolve("large-events.jsonl");
        SyntheticEvents synthetic = new SyntheticEvents(demoDirectory.resolve("voicetrace-events.jsonl"));
        synthetic.write(events, 10_000, true, 21, null);
        Path report = directory.resolve("report.html");
        JavaRun command = JavaRun.run(directory, RUN_TIMEOUT, "-Xmx256m", "-jar", JavaRun.AGENT_JAR.toString(), "report",
                events.toString(), "-o", report.toString());
        assertEquals(0, command.exitCode, command::toString);

        long opening = System.nanoTime();
        browser.open(report, "turn-9999");
        System.out.printf("report of 10,000 turns: events %d MB, page %d MB, drawn in the browser in %d ms%n",
                Files.size(events) >> 20, Files.size(report) >> 20, (System.nanoTime() - opening) / 1_000_000);

        assertEquals("10000", text(By.id("count-turns")));
        assertEquals(50, browser.driver.findElements(By.cssSelector("#session-table tbody tr")).size());
        long elements = (Long) browser.script("return document.getElementsByTagName('*').length");
        assertTrue(elements < 5000, "only a page of sessions and turns is drawn: " + elements + " elements");
        assertEquals("turn-9999", browser.driver.findElement(By.cssSelector("article.turn.highlight")).getAttribute("id"));
        assertNothingLeftThePage();
    }

    /** Every turn drawn has one bar per observation of its trace in the file, coloured by its stage. */
    private static void assertWaterfallsMatch(EventsFile events, List<WebElement> turns) {
        for (WebElement turn : turns) {
            String trace = turn.getAttribute("data-trace");
            List<JsonNode> observations = events.observationsByTrace.get(trace);
            List<String> expected = new ArrayList<>();
            for (JsonNode observation : observations) {
                expected.add(EventsFile.attribute(observation, "langfuse.observation.metadata.stage"));
            }
            expected.sort(null);
            List<String> drawn = turn.findElements(By.cssSelector("svg.waterfall rect.bar")).stream()
                    .map(bar -> bar.getAttribute("data-stage")).sorted().collect(Collectors.toList());
            assertEquals(expected, drawn, "bars of trace " + trace);
        }
    }

    private static void assertPercentilesAsComputedFrom(EventsFile events) {
        for (String figure : FIGURES) {
            List<Double> values = events.figure(figure);
            WebElement row = browser.driver.findElement(By.cssSelector("#latency-table tr[data-metric=" + figure + "]"));
            assertEquals(String.valueOf(values.size()), row.findElement(By.cssSelector("td[data-stat=count]")).getText());
            if (values.isEmpty()) {
                continue;
            }
            for (int p : new int[] {50, 90, 99}) {
                assertEquals(EventsFile.millis(EventsFile.percentile(values, p)),
                        row.findElement(By.cssSelector("td[data-stat=p" + p + "]")).getText(), figure + " p" + p);
            }
        }
    }

    /** The page made no request: no resource was fetched, nothing points elsewhere, and its policy forbids it. */
    static void assertNothingLeftThePage() {
        assertEquals(0L, browser.script("return performance.getEntriesByType('resource').length"));
        assertEquals(0L, browser.script("return Array.from(document.querySelectorAll('[src],[href]'))"
                + ".filter(e => !(e.getAttribute('href') || '').startsWith('#')).length"));
        String policy = (String) browser.script(
                "return document.querySelector('meta[http-equiv=Content-Security-Policy]').content");
        assertTrue(policy.startsWith("default-src 'none';"), policy);
    }

    static String text(By by) {
        return browser.driver.findElement(by).getText();
    }

    private static String quoted(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Path fresh(String name) throws IOException {
        Path directory = ARTEFACTS.resolve(name).toAbsolutePath();
        if (Files.exists(directory)) {
            try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return Files.createDirectories(directory);
    }
}
