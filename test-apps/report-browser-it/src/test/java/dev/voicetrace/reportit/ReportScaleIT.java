package dev.voicetrace.reportit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;

/**
 * On demand, for the README's figures (not part of the tests: the machines here are shared):
 * {@code mvn -B verify -pl test-apps/report-browser-it -am -DskipTests=false -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ReportScaleIT -Dreport.scale.turns=100000}.
 * Makes an events file of that many turns from the demo's, writes its report with the agent jar's
 * command in a 64 MB heap, and opens it in Chromium at its last turn.
 */
@EnabledIfSystemProperty(named = "report.scale.turns", matches = "\\d+")
class ReportScaleIT {

    private static final Pattern HEAP = Pattern.compile("(\\d+)M->\\d+M\\(\\d+M\\)");

    @Test
    void reportOfManyTurns() throws Exception {
        int turns = Integer.parseInt(System.getProperty("report.scale.turns"));
        Path directory = ReportBrowserIT.fresh("scale");
        Path demo = ReportBrowserIT.fresh("scale-demo");
        JavaRun run = JavaRun.run(demo, Duration.ofMinutes(3), "-Dvoicetrace.report.path=none",
                "-javaagent:" + JavaRun.AGENT_JAR, "-jar", JavaRun.VOICE_APP_JAR.toString());
        assertEquals(0, run.exitCode, run::toString);
        Path events = directory.resolve("events.jsonl");
        SyntheticEvents synthetic = new SyntheticEvents(demo.resolve("voicetrace-events.jsonl"));
        synthetic.write(events, turns, true, 42, null);
        int written = (turns + synthetic.turnsPerCopy() - 1) / synthetic.turnsPerCopy() * synthetic.turnsPerCopy();

        Path report = directory.resolve("report.html");
        Path gcLog = directory.resolve("gc.log");
        long started = System.nanoTime();
        JavaRun command = JavaRun.run(directory, Duration.ofMinutes(10), "-Xmx64m", "-Xlog:gc:file=" + gcLog,
                "-jar", JavaRun.AGENT_JAR.toString(), "report", events.toString(), "-o", report.toString());
        long reportMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, command.exitCode, command::toString);
        int heapMb = 0;
        Matcher heap = HEAP.matcher(Files.readString(gcLog));
        while (heap.find()) {
            heapMb = Math.max(heapMb, Integer.parseInt(heap.group(1)));
        }

        try (Browser browser = new Browser(ReportBrowserIT.fresh("scale-profile"))) {
            ReportBrowserIT.browser = browser;
            long opening = System.nanoTime();
            browser.open(report, "turn-" + (written - 1));
            long openMillis = (System.nanoTime() - opening) / 1_000_000;
            assertEquals(String.valueOf(written), ReportBrowserIT.text(By.id("count-turns")));
            long sorting = System.nanoTime();
            browser.driver.findElement(By.cssSelector("#session-table th[data-key=cost]")).click();
            long sortMillis = (System.nanoTime() - sorting) / 1_000_000;
            long elements = (Long) browser.script("return document.getElementsByTagName('*').length");
            assertTrue(elements < 5000, elements + " elements");
            System.out.printf("%,d turns: events %,d MB; report written in %,d ms (JVM start included) with -Xmx64m, "
                    + "heap at most %d MB before a collection; page %,d MB, drawn at its last turn in %,d ms, "
                    + "%,d sessions sorted by cost in %,d ms, %,d elements in the page%n",
                    written, Files.size(events) >> 20, reportMillis, heapMb, Files.size(report) >> 20, openMillis,
                    (written / synthetic.turnsPerCopy()), sortMillis, elements);
        } finally {
            ReportBrowserIT.browser = null;
        }
    }
}
