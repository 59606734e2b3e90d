package dev.voicetrace.it;

import static dev.voicetrace.it.Spans.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fifty calls of five turns run at once through the real openai-java client, each stage on a pool
 * of its own (speech on virtual threads where the JDK has them), handed on through
 * CompletableFutures; every third turn, all callers say the same words. From what the Langfuse
 * stand-in receives, every observation must be in its caller's session and its turn's trace,
 * whether the application put a session id into the MDC of the entry thread only, or named no
 * session at all, streaming or not.
 */
class ConcurrentCallsIT {

    static final int CALLS = 50;
    static final int TURNS = 5;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final String APP = "dev.voicetrace.testapp.openai.ConcurrentCallsApp";
    private static final Pattern AUDIO_FILE = Pattern.compile("caller-(\\d+)-turn-(\\d+)\\.wav");
    private static final Pattern CALLER = Pattern.compile("caller (\\d+)");
    private static final Pattern MESSAGE = Pattern.compile("message (?:number )?(\\d+)");

    /**
     * How the application names its sessions: {@code mdc} on each call's entry thread; {@code none}
     * at all, turns chained from the turn before; {@code turn-loop}, none at all and every turn
     * started afresh from a per-call loop, so that only the model call's history ties turn 2 to 1.
     */
    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (Path jdk : Jdks.all()) {
            for (String sessions : new String[] {"mdc", "none", "turn-loop"}) {
                for (boolean streaming : new boolean[] {false, true}) {
                    runs.add(Arguments.of(jdk, sessions, streaming));
                }
            }
        }
        return runs.stream();
    }

    /** Who said it and when: the caller and the turn an observation belongs to. */
    private static final class Truth {
        final int caller;
        final int turn;

        Truth(int caller, int turn) {
            this.caller = caller;
            this.turn = turn;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Truth && ((Truth) o).caller == caller && ((Truth) o).turn == turn;
        }

        @Override
        public int hashCode() {
            return caller * 1000 + turn;
        }

        @Override
        public String toString() {
            return "caller " + caller + " turn " + turn;
        }
    }

    @ParameterizedTest(name = "{0} sessions={1} streaming={2}")
    @MethodSource("runs")
    void everyObservationIsInItsCallersSessionAndTurn(Path jdk, String sessions, boolean streaming) throws Exception {
        List<String> args = new ArrayList<>(List.of("--calls", "" + CALLS, "--turns", "" + TURNS));
        boolean mdc = sessions.equals("mdc");
        if (mdc) {
            args.add("--mdc");
        }
        if (sessions.equals("turn-loop")) {
            args.add("--turn-loop");
        }
        if (streaming) {
            args.add("--streaming");
        }
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .mainClass(JvmRun.VOICE_APP_JAR, APP, args.toArray(new String[0]))
                    .run(RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);
            assertTrue(traced.stdout.contains("calls done: " + CALLS + " calls, " + CALLS * TURNS + " turns"),
                    traced::toString);

            // Per turn: the root, one transcription, one model call, and one speech call per
            // sentence streamed (two) or one for the whole reply.
            int speechPerTurn = streaming ? 2 : 1;
            int expected = CALLS * TURNS * (3 + speechPerTurn);
            List<ReceivedSpan> spans = langfuse.awaitSpans(expected, Duration.ofSeconds(60));
            assertEquals(expected, spans.size(), traced::toString);
            langfuse.assertAllValid();

            Map<String, Set<Truth>> truthsPerTrace = new HashMap<>();
            Map<String, Map<String, Integer>> stagesPerTrace = new HashMap<>();
            Map<Integer, Set<String>> sessionsPerCaller = new TreeMap<>();
            Map<String, Set<String>> sessionsPerTrace = new HashMap<>();
            int observations = 0;
            int misplaced = 0;
            for (ReceivedSpan span : spans) {
                sessionsPerTrace.computeIfAbsent(span.traceId(), t -> new HashSet<>())
                        .add((String) span.attribute("langfuse.session.id"));
                Object stage = span.attribute("langfuse.observation.metadata.stage");
                if (stage == null) {
                    continue;
                }
                observations++;
                Truth truth = truthOf((String) stage, json(span, "langfuse.observation.input"));
                truthsPerTrace.computeIfAbsent(span.traceId(), t -> new HashSet<>()).add(truth);
                stagesPerTrace.computeIfAbsent(span.traceId(), t -> new HashMap<>()).merge((String) stage, 1, Integer::sum);
                String session = (String) span.attribute("langfuse.session.id");
                sessionsPerCaller.computeIfAbsent(truth.caller, c -> new HashSet<>()).add(session);
                if (mdc && !("call-" + truth.caller).equals(session)) {
                    misplaced++;
                }
            }
            assertEquals(CALLS * TURNS * (2 + speechPerTurn), observations);

            // Turns: each trace holds exactly one caller's turn, with all its stages.
            assertEquals(CALLS * TURNS, truthsPerTrace.size(), "one trace per turn");
            for (Map.Entry<String, Set<Truth>> trace : truthsPerTrace.entrySet()) {
                assertEquals(1, trace.getValue().size(), () -> "trace " + trace.getKey() + " mixes " + trace.getValue());
                Map<String, Integer> stages = stagesPerTrace.get(trace.getKey());
                assertEquals(Map.of("stt", 1, "llm", 1, "tts", speechPerTurn), stages,
                        () -> trace.getValue() + " has stages " + stages);
            }

            // Sessions: one per caller, never shared; the MDC's value when the application set one;
            // a trace's spans (root included) all name the same session, so Langfuse never sees it move.
            assertEquals(0, misplaced, "observations outside their caller's MDC session");
            for (Map.Entry<String, Set<String>> trace : sessionsPerTrace.entrySet()) {
                assertEquals(1, trace.getValue().size(), () -> "trace " + trace.getKey() + " names sessions "
                        + trace.getValue());
            }
            Set<String> allSessions = new HashSet<>();
            for (Map.Entry<Integer, Set<String>> caller : sessionsPerCaller.entrySet()) {
                assertEquals(1, caller.getValue().size(), () -> "caller " + caller.getKey() + " is split over "
                        + caller.getValue());
                allSessions.addAll(caller.getValue());
            }
            assertEquals(CALLS, allSessions.size(), "no two callers share a session");
            System.out.println("ConcurrentCallsIT " + jdk.getFileName() + " sessions=" + sessions + " streaming=" + streaming
                    + ": " + observations + " observations in " + truthsPerTrace.size()
                    + " traces, 100% in the right session and turn");
        }
    }

    /**
     * Calls whose model requests carry no history: nothing ties a turn to the one before, so each
     * turn keeps the session generated at its transcription, and no session ever mixes callers.
     */
    @Test
    void callsThatShareNoHistoryAreNeverMerged() throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            int calls = 20;
            JvmRun.Result traced = JvmRun.on(Jdks.all().get(0)).withAgent().exportingTo(langfuse)
                    .mainClass(JvmRun.VOICE_APP_JAR, APP, "--calls", "" + calls, "--turns", "" + TURNS,
                            "--turn-loop", "--no-history")
                    .run(RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);
            int expected = calls * TURNS * 4;
            List<ReceivedSpan> spans = langfuse.awaitSpans(expected, Duration.ofSeconds(60));
            assertEquals(expected, spans.size(), traced::toString);
            langfuse.assertAllValid();
            Map<String, Set<Integer>> callersPerSession = new HashMap<>();
            Map<String, Set<String>> tracesPerSession = new HashMap<>();
            for (ReceivedSpan span : spans) {
                Object stage = span.attribute("langfuse.observation.metadata.stage");
                String session = (String) span.attribute("langfuse.session.id");
                tracesPerSession.computeIfAbsent(session, k -> new HashSet<>()).add(span.traceId());
                if (stage != null) {
                    Truth truth = truthOf((String) stage, json(span, "langfuse.observation.input"));
                    callersPerSession.computeIfAbsent(session, k -> new HashSet<>()).add(truth.caller);
                }
            }
            for (Map.Entry<String, Set<Integer>> session : callersPerSession.entrySet()) {
                assertEquals(1, session.getValue().size(), () -> session.getKey() + " mixes " + session.getValue());
            }
            assertEquals(calls * TURNS, tracesPerSession.size(), "each turn keeps its own session");
        }
    }

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    /**
     * A session id put into the MDC on the main thread only reaches model calls made after a new
     * thread and the common pool, a scheduled executor, a virtual thread and a platform thread per
     * task (JDK 21+, started through the thread container method that executors use).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theMdcSessionFollowsEveryKindOfHandOver(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .mainClass(JvmRun.VOICE_APP_JAR, "dev.voicetrace.testapp.openai.ContextHopsApp")
                    .run(RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);
            List<ReceivedSpan> spans = langfuse.awaitSpans(10, Duration.ofSeconds(30));
            langfuse.assertAllValid();
            Map<String, String> sessionByQuestion = new TreeMap<>();
            for (ReceivedSpan span : spans) {
                if ("llm".equals(span.attribute("langfuse.observation.metadata.stage"))) {
                    String question = json(span, "langfuse.observation.input").path("messages").get(0)
                            .path("content").asText();
                    sessionByQuestion.put(question, (String) span.attribute("langfuse.session.id"));
                }
            }
            assertEquals(Map.of(
                    "Asked on the main thread.", "hops-session",
                    "Hop through a thread, then the common pool.", "hops-session",
                    "Hop through a scheduled executor.", "hops-session",
                    "Hop through a virtual thread.", "hops-session",
                    "Hop through a thread per task.", "hops-session"), sessionByQuestion, traced::toString);
        }
    }

    /**
     * A model call added as a stage to a transcription that had already completed lands in that
     * transcription's turn, whatever turn the thread adding it was in, unless that thread works for
     * another session. The questions never repeat the transcripts: only the context links them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aStageAddedToACompletedTranscriptionJoinsItsTurn(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .mainClass(JvmRun.VOICE_APP_JAR, "dev.voicetrace.testapp.openai.CompletedStagesApp")
                    .run(RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);
            // three transcriptions, three model calls, and each turn's root
            List<ReceivedSpan> spans = langfuse.awaitSpans(10, Duration.ofSeconds(30));
            langfuse.assertAllValid();
            Map<String, ReceivedSpan> byText = new TreeMap<>();
            for (ReceivedSpan span : spans) {
                Object stage = span.attribute("langfuse.observation.metadata.stage");
                if ("stt".equals(stage)) {
                    String output = String.valueOf(span.attribute("langfuse.observation.output"));
                    for (String words : new String[] {"table for two", "eight in the evening", "someone else"}) {
                        if (output.toLowerCase(java.util.Locale.ROOT).contains(words)) {
                            byText.put(words, span);
                        }
                    }
                } else if ("llm".equals(stage)) {
                    byText.put(json(span, "langfuse.observation.input").path("messages").get(0).path("content")
                            .asText(), span);
                }
            }
            assertEquals(6, byText.size(), () -> byText.keySet() + "\n" + traced);
            String firstTurn = byText.get("table for two").traceId();
            String secondTurn = byText.get("eight in the evening").traceId();
            assertTrue(!firstTurn.equals(secondTurn), traced::toString);
            assertEquals(firstTurn, byText.get("First question.").traceId(),
                    () -> "added from a thread with only the session\n" + traced);
            assertEquals(secondTurn, byText.get("Second question.").traceId(),
                    () -> "added from a thread still in the first turn\n" + traced);
            assertEquals("other-caller", byText.get("someone else").attribute("langfuse.session.id"));
            assertEquals("completed-stages", byText.get("Third question.").attribute("langfuse.session.id"),
                    () -> "another session's transcription lends nothing\n" + traced);
            assertEquals("completed-stages", byText.get("First question.").attribute("langfuse.session.id"));
        }
    }

    /** The caller and turn an observation belongs to, read from what the application sent. */
    private static Truth truthOf(String stage, JsonNode input) {
        switch (stage) {
            case "stt": {
                Matcher file = AUDIO_FILE.matcher(input.path("audio").path("filename").asText());
                assertTrue(file.matches(), input::toString);
                return new Truth(Integer.parseInt(file.group(1)), Integer.parseInt(file.group(2)));
            }
            case "llm": {
                JsonNode messages = input.isArray() ? input : input.path("messages");
                int caller = -1;
                int userMessages = 0;
                for (JsonNode message : messages) {
                    String role = message.path("role").asText();
                    if ("system".equals(role)) {
                        Matcher m = CALLER.matcher(message.path("content").toString());
                        assertTrue(m.find(), message::toString);
                        caller = Integer.parseInt(m.group(1));
                    } else if ("user".equals(role)) {
                        userMessages++;
                    }
                }
                return new Truth(caller, userMessages);
            }
            case "tts": {
                String text = input.path("text").asText();
                Matcher caller = CALLER.matcher(text);
                Matcher message = MESSAGE.matcher(text);
                assertTrue(caller.find() && message.find(), text);
                return new Truth(Integer.parseInt(caller.group(1)), Integer.parseInt(message.group(1)));
            }
            default:
                throw new AssertionError("unexpected stage " + stage);
        }
    }
}
