package dev.voicetrace.agent.privacy;

import dev.voicetrace.agent.export.ExportStats;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the processing thread asks before anything is projected for export: the record's content is
 * made fit to leave (capture mode, redaction), the session's user and call metadata are filled in,
 * and sampling decides, on the session id the observation or turn has when it is emitted, whether
 * it is exported at all. A dropped session costs no projection and no export.
 */
public final class ExportPolicy {

    /** What happens to a closed turn. */
    public enum TurnDecision {
        /** Exported, its observations having been exported as they came. */
        EXPORT,
        /** Its session is dropped, but it has an ERROR observation: it is exported with its observations. */
        EXPORT_WITH_OBSERVATIONS,
        DROP
    }

    /** Everything leaves as captured: no redaction, every session. */
    public static final ExportPolicy KEEP_ALL = new ExportPolicy(ContentPolicy.FULL, new SessionSampler(1.0, true),
            null, null, null);

    private static final int REMEMBERED = 10_000;

    private final ContentPolicy content;
    private final SessionSampler sampler;
    private final SessionAttributes attributes;
    private final CallAttributes callAttributes;
    private final ExportStats stats;
    /** Sessions counted as dropped, so that each is counted once (while remembered). */
    private final Set<String> droppedSessions = boundedSet();
    /** Traces of dropped sessions kept for their errors: a stage arriving late joins them. */
    private final Set<String> keptForErrors = boundedSet();

    public ExportPolicy(ContentPolicy content, SessionSampler sampler, CallAttributes callAttributes,
                        SessionAttributes attributes, ExportStats stats) {
        this.callAttributes = callAttributes;
        this.content = content;
        this.sampler = sampler;
        this.attributes = attributes;
        this.stats = stats;
    }

    /** The user id and MDC metadata the call's context carried, onto its record. */
    public void readAttributes(String[] values, StageRecord record) {
        if (callAttributes != null) {
            callAttributes.copyTo(values, record);
        }
    }

    /** After linking (its keys are taken): the record's content is made fit to leave the process. */
    public void afterLinking(StageRecord record) {
        if (content.isActive()) {
            int redactions = content.apply(record);
            if (redactions > 0 && stats != null) {
                stats.redactions.addAndGet(redactions);
            }
        }
    }

    /** Whether the observation is exported now (a dropped session's observations are not). */
    public boolean exportsObservation(LinkedObservation observation) {
        fillAttributes(observation.record, observation.sessionId);
        if (sampler.keeps(observation.sessionId)) {
            return true;
        }
        // A late stage of a turn kept for its error joins it; a late error is kept on its own.
        return observation.turn.isClosed() && (keptForErrors.contains(observation.turn.traceId)
                || sampler.keepsErrors() && observation.record.error != null);
    }

    public TurnDecision decide(Turn turn) {
        if (sampler.keeps(turn.sessionId)) {
            return TurnDecision.EXPORT;
        }
        if (sampler.keepsErrors() && hasError(turn)) {
            keptForErrors.add(turn.traceId);
            return TurnDecision.EXPORT_WITH_OBSERVATIONS;
        }
        if (droppedSessions.add(turn.sessionId) && stats != null) {
            stats.sampledOutSessions.incrementAndGet();
        }
        return TurnDecision.DROP;
    }

    /** Fills in, for a turn about to be exported, its records' user and metadata from their session. */
    public void prepare(Turn turn) {
        for (LinkedObservation observation : turn.observations()) {
            fillAttributes(observation.record, observation.sessionId);
        }
    }

    private void fillAttributes(StageRecord record, String sessionId) {
        if (attributes != null) {
            attributes.fill(record, sessionId);
        }
    }

    private static boolean hasError(Turn turn) {
        for (LinkedObservation observation : turn.observations()) {
            if (observation.record.error != null) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> boundedSet() {
        return Collections.newSetFromMap(new LinkedHashMap<String, Boolean>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED;
            }
        });
    }
}
