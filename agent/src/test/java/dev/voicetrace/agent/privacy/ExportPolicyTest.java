package dev.voicetrace.agent.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.config.PrivacyOptions.ContentMode;
import dev.voicetrace.agent.export.ExportStats;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.link.Records;
import dev.voicetrace.agent.link.SequentialIds;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.projection.IngestionProjector;
import dev.voicetrace.agent.projection.OtlpProjector;
import dev.voicetrace.agent.projection.ProjectionContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExportPolicyTest {

    private final ExportStats stats = new ExportStats();
    private final Linker linker = new Linker(new SequentialIds(), "default", TimeUnit.SECONDS.toNanos(30));

    /** A session id that the sampler at {@code rate} keeps (or drops). */
    private static String session(SessionSampler sampler, boolean kept) {
        for (int i = 0; ; i++) {
            if (sampler.keeps("call-" + i) == kept) {
                return "call-" + i;
            }
        }
    }

    private ExportPolicy policy(double rate, boolean keepErrors) {
        return new ExportPolicy(new ContentPolicy(ContentMode.FULL, Redactor.NONE), new SessionSampler(rate, keepErrors),
                new CallAttributes("customerId", List.of("tenant", "callId")), new SessionAttributes(100), stats);
    }

    @Test
    void aDroppedSessionExportsNothingAndIsCountedOnce() {
        ExportPolicy policy = policy(0.5, true);
        String dropped = session(new SessionSampler(0.5, true), false);
        String kept = session(new SessionSampler(0.5, true), true);
        for (String session : List.of(dropped, kept)) {
            for (int turn = 0; turn < 2; turn++) {
                Linker.Result stt = linker.link(Records.inSession(Records.stt("turn " + turn, turn * 1000, turn * 1000 + 100),
                        session));
                LinkedObservation llm = linker.link(Records.inSession(Records.llm("turn " + turn, "ok", turn * 1000 + 200,
                        turn * 1000 + 300), session)).observation;
                assertEquals(session.equals(kept), policy.exportsObservation(stt.observation));
                assertEquals(session.equals(kept), policy.exportsObservation(llm));
            }
            for (Turn turn : linker.closeAll()) {
                assertEquals(turn.sessionId.equals(kept) ? ExportPolicy.TurnDecision.EXPORT : ExportPolicy.TurnDecision.DROP,
                        policy.decide(turn));
            }
        }
        assertEquals(1, stats.sampledOutSessions.get());
    }

    @Test
    void aTurnWithAnErrorIsKeptWholeWhenErrorsAreKept() {
        SessionSampler sampler = new SessionSampler(0.0, true);
        ExportPolicy keepErrors = policy(0.0, true);
        StageRecord failed = Records.inSession(Records.llm("hello", null, 200, 300), "call-1");
        failed.error = "java.io.IOException: refused";
        LinkedObservation stt = linker.link(Records.inSession(Records.stt("hello", 0, 100), "call-1")).observation;
        LinkedObservation llm = linker.link(failed).observation;
        assertFalse(sampler.keeps("call-1"));
        assertFalse(keepErrors.exportsObservation(stt), "held until the turn is closed");
        assertFalse(keepErrors.exportsObservation(llm));
        Turn turn = linker.closeAll().get(0);
        assertEquals(ExportPolicy.TurnDecision.EXPORT_WITH_OBSERVATIONS, keepErrors.decide(turn));
        // A stage arriving after the turn was closed joins the kept trace.
        LinkedObservation late = new LinkedObservation(Records.tts("bye", 400, 500), "call-1", turn, "late", null, null);
        assertTrue(keepErrors.exportsObservation(late));
        assertEquals(ExportPolicy.TurnDecision.DROP, policy(0.0, false).decide(turn));
    }

    @Test
    void everyTraceOfTheSessionCarriesItsUserTagsAndMetadata() {
        ExportPolicy policy = policy(1.0, true);
        StageRecord first = Records.inSession(Records.stt("first", 0, 100), "call-9");
        policy.readAttributes(new String[] {"cust-77", "acme", "pstn-1"}, first);
        LinkedObservation one = linker.link(first).observation;
        assertTrue(policy.exportsObservation(one));
        // A later turn whose call had no context (linked by text, say) gets what the session is known to have.
        LinkedObservation two = linker.link(Records.inSession(Records.stt("second", 1000, 1100), "call-9")).observation;
        assertNull(two.record.userId);
        assertTrue(policy.exportsObservation(two));
        assertEquals("cust-77", two.record.userId);
        assertEquals("acme", two.record.traceMetadata.get("tenant"));

        ProjectionContext context = new ProjectionContext("svc", null, null, "t", new SequentialIds(), () -> Records.T0,
                List.of("voice", "prod"));
        Turn turn = linker.closeAll().get(0);
        policy.prepare(turn);
        String otlp = new String(new OtlpProjector(context).encodedTurn(turn).get(0), StandardCharsets.UTF_8)
                + new String(new OtlpProjector(context).encodedObservation(two).get(0), StandardCharsets.UTF_8);
        assertTrue(otlp.contains("{\"key\":\"langfuse.user.id\",\"value\":{\"stringValue\":\"cust-77\"}}"), otlp);
        assertTrue(otlp.contains("{\"key\":\"user.id\",\"value\":{\"stringValue\":\"cust-77\"}}"), otlp);
        assertTrue(otlp.contains("{\"key\":\"langfuse.trace.tags\",\"value\":{\"stringValue\":\"[\\\"voice\\\",\\\"prod\\\"]\"}}"),
                otlp);
        assertTrue(otlp.contains("{\"key\":\"langfuse.trace.metadata.tenant\",\"value\":{\"stringValue\":\"acme\"}}"), otlp);
        assertTrue(otlp.contains("{\"key\":\"langfuse.trace.metadata.callId\",\"value\":{\"stringValue\":\"pstn-1\"}}"), otlp);

        String ingestion = new IngestionProjector(context).turn(turn).get(0).toString();
        assertTrue(ingestion.contains("\"userId\":\"cust-77\""), ingestion);
        assertTrue(ingestion.contains("\"tags\":[\"voice\",\"prod\"]"), ingestion);
        assertTrue(ingestion.contains("\"tenant\":\"acme\""), ingestion);
    }
}
