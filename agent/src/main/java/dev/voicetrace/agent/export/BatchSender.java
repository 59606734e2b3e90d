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

    /**
     * Called once when the JVM is exiting, from another thread than {@link #send}'s: from then on
     * a server that cannot be reached is not tried again, and a pause between retries ends now,
     * so that what cannot be delivered is kept or counted at once instead of holding up the exit.
     */
    default void exiting() {}

    default void close() {}

    /** What the exporter's lines call the destination: {@code Langfuse}, {@code file events.jsonl}. */
    default String name() {
        return "the export destination";
    }
}
