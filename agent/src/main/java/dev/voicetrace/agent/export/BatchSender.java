package dev.voicetrace.agent.export;

import java.util.List;

/** Delivers one batch of encoded items somewhere. Called from the exporter thread only. */
public interface BatchSender {

    /**
     * Delivers the batch, retrying as it sees fit until {@code deadlineNanos} (a
     * {@link System#nanoTime()} value). It counts sent, rejected and refused items in {@code stats};
     * an {@link SendOutcome#UNAVAILABLE} batch is not counted, since the caller still holds it.
     */
    SendOutcome send(List<byte[]> items, long deadlineNanos, ExportStats stats);

    default void close() {}

    /** What the exporter's lines call the destination: {@code Langfuse}, {@code file events.jsonl}. */
    default String name() {
        return "the export destination";
    }
}
