package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The concurrent-calls server puts each call's session id, customer id and tenant into the MDC of
 * its entry thread only; its stages run on pools and (JDK 21+) virtual threads. Every trace of the
 * session carries the user id, the tags and the tenant. With a sample rate, whole sessions are kept
 * or dropped, and two JVMs keep the same ones.
 */
class CallAttributesIT {

    private static final String APP = "dev.voicetrace.testapp.openai.ConcurrentCallsApp";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern CALL = Pattern.compile("call-(\\d+)");

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyTraceOfASessionCarriesItsUserTagsAndTenant(Path jdk) {
        int calls = 12;
        int turns = 3;
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result run = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.user.mdc.key", "customerId")
                    .property("voicetrace.metadata.mdc.keys", "tenant")
                    .property("voicetrace.tags", "voice,it")
                    .mainClass(JvmRun.VOICE_APP_JAR, APP, "--calls", "" + calls, "--turns", "" + turns, "--mdc")
                    .run(TIMEOUT);
            assertEquals(0, run.exitCode, run::toString);
            int expected = calls * turns * 4;
            List<ReceivedSpan> spans = langfuse.awaitSpans(expected, Duration.ofSeconds(60));
            assertEquals(expected, spans.size(), run::toString);
            langfuse.assertAllValid();
            for (ReceivedSpan span : spans) {
                Matcher session = CALL.matcher((String) span.attribute("langfuse.session.id"));
                assertTrue(session.matches(), span::toString);
                int caller = Integer.parseInt(session.group(1));
                assertEquals("customer-" + caller, span.attribute("langfuse.user.id"), span::toString);
                assertEquals("customer-" + caller, span.attribute("user.id"), span::toString);
                assertEquals("[\"voice\",\"it\"]", span.attribute("langfuse.trace.tags"), span::toString);
                assertEquals("tenant-" + caller % 3, span.attribute("langfuse.trace.metadata.tenant"), span::toString);
            }
        }
    }

    @Test
    void wholeSessionsAreKeptOrDroppedAndTwoJvmsKeepTheSameOnes() {
        int calls = 40;
        int turns = 2;
        Map<String, Integer> first = null;
        for (int jvm = 0; jvm < 2; jvm++) {
            try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
                JvmRun.Result run = JvmRun.on(Jdks.all().get(jvm % Jdks.all().size())).withAgent().exportingTo(langfuse)
                        .property("voicetrace.sample.rate", "0.5")
                        .property("voicetrace.sample.keep.errors", "false")
                        .mainClass(JvmRun.VOICE_APP_JAR, APP, "--calls", "" + calls, "--turns", "" + turns, "--mdc")
                        .run(TIMEOUT);
                assertEquals(0, run.exitCode, run::toString);
                // Shutdown has flushed everything: what arrived is all that will.
                Map<String, Integer> rootsPerSession = new TreeMap<>();
                Map<String, Integer> spansPerSession = new TreeMap<>();
                for (ReceivedSpan span : langfuse.otlpSpans()) {
                    String session = (String) span.attribute("langfuse.session.id");
                    spansPerSession.merge(session, 1, Integer::sum);
                    if (span.isRoot()) {
                        rootsPerSession.merge(session, 1, Integer::sum);
                    }
                }
                int kept = rootsPerSession.size();
                assertTrue(kept >= calls / 5 && kept <= calls * 4 / 5, "kept " + kept + " of " + calls);
                for (String session : spansPerSession.keySet()) {
                    assertEquals(turns, rootsPerSession.getOrDefault(session, 0), "every turn of " + session);
                    assertEquals(turns * 4, spansPerSession.get(session), "every observation of " + session);
                }
                assertTrue(run.stderr.contains("sampled_out_sessions=" + (calls - kept) + " "), run::toString);
                if (first == null) {
                    first = spansPerSession;
                } else {
                    Set<String> firstKept = new TreeSet<>(first.keySet());
                    assertEquals(firstKept, spansPerSession.keySet(), "both JVMs keep the same sessions");
                }
            }
        }
    }
}
