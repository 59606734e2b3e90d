package dev.voicetrace.agent.pipeline;

import dev.voicetrace.agent.export.BatchingExporter;
import dev.voicetrace.agent.export.ExportStats;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.projection.ItemTruncator;
import dev.voicetrace.agent.projection.Projector;

/**
 * One destination of what the pipeline exports (Langfuse or the local file, an OTLP endpoint):
 * the projection onto its wire format, and its own exporter with its own queue, batching, retries
 * and counters. Every sink gets every observation and turn that the export policy lets through.
 */
public final class ExportSink {

    private final Projector projector;
    private final BatchingExporter exporter;
    private final ItemTruncator truncator;
    private final ExportStats stats;

    public ExportSink(Projector projector, BatchingExporter exporter, ItemTruncator truncator, ExportStats stats) {
        this.projector = projector;
        this.exporter = exporter;
        this.truncator = truncator;
        this.stats = stats;
    }

    void observation(LinkedObservation observation) {
        for (byte[] item : projector.withinBudget(projector.encodedObservation(observation), truncator,
                this::onTruncated)) {
            exporter.offer(item);
        }
    }

    void turn(Turn turn) {
        for (byte[] item : projector.withinBudget(projector.encodedTurn(turn), truncator, this::onTruncated)) {
            exporter.offer(item);
        }
    }

    /** An item over the request size limit was cut down, not dropped. */
    private void onTruncated() {
        stats.truncated.incrementAndGet();
    }
}
