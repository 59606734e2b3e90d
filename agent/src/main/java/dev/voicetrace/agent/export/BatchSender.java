package dev.voicetrace.agent.export;

import java.util.List;

/** Delivers one batch of encoded items somewhere. Called from the exporter thread only. */
public interface BatchSender {

    /**
     * Delivers the batch, retrying as it sees fit until {@code deadlineNanos} (a
     * {@link System#nanoTime()} value), and updates {@code stats} for every item.
     */
    void send(List<byte[]> items, long deadlineNanos, ExportStats stats);

    default void close() {}
}
