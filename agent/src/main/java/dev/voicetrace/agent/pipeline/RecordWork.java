package dev.voicetrace.agent.pipeline;

import dev.voicetrace.agent.model.StageRecord;
import java.util.function.Consumer;

/**
 * Work queued to the processing thread beside finished calls, run there in arrival order: a
 * socket's frame, parsed and fed to its vendor's state machine, which may finish stage records.
 */
public interface RecordWork {

    /** Runs on the processing thread; each record given to {@code records} is priced, linked and exported. */
    void run(Consumer<StageRecord> records);
}
