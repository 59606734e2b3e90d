package dev.voicetrace.agent.capture;

import dev.voicetrace.agent.model.StageRecord;

/**
 * Turns a finished call (references to the library's own request, response and stream items)
 * into a stage record. Runs on the agent's processing thread, never on the application's.
 */
public interface CallExtractor {

    /** Fills {@code record}, whose kind, provider, operation, times and error are already set. */
    void extract(CompletedCall call, StageRecord record) throws Exception;
}
