package dev.voicetrace.agent.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.export.BatchingExporter;
import dev.voicetrace.agent.export.ExportStats;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.json.Json;
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
        for (byte[] item : projector.encodedObservation(observation)) {
            exporter.offer(fit(item));
        }
    }

    void turn(Turn turn) {
        for (byte[] item : projector.encodedTurn(turn)) {
            exporter.offer(fit(item));
        }
    }

    /** An item over the request size limit is cut down, not dropped; the rest pass untouched. */
    private byte[] fit(byte[] item) {
        if (item.length <= truncator.maxBytes()) {
            return item;
        }
        try {
            ObjectNode tree = (ObjectNode) Json.read(item);
            if (truncator.fit(tree, item.length)) {
                stats.truncated.incrementAndGet();
                return Json.writeBytes(tree);
            }
        } catch (java.io.IOException | RuntimeException e) {
            AgentLog.warnOnce("truncate", "could not shorten an oversized observation; it is sent whole: " + e);
        }
        return item;
    }
}
