package dev.voicetrace.agent.capture;

import dev.voicetrace.agent.model.StageRecord;

/**
 * Turns a finished call (references to the library's own request, response and stream items)
 * into a stage record. Runs on the agent's processing thread, never on the application's.
 */
public interface CallExtractor {

    /** Fills {@code record}, whose kind, provider, operation, times and error are already set. */
    void extract(CompletedCall call, StageRecord record) throws Exception;

    /**
     * Thrown by an extractor when the call is one step of an operation that another call records
     * (a status poll before the result is ready, the request that starts a job): nothing is
     * recorded for it. Carries no stack trace.
     */
    final class NotRecorded extends Exception {
        private static final long serialVersionUID = 1L;
        public static final NotRecorded INSTANCE = new NotRecorded();

        private NotRecorded() {
            super("an intermediate step, recorded with a later call", null, false, false);
        }
    }
}
