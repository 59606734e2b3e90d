package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.export.WireFormat;
import java.util.List;

/**
 * Turns linked observations and closed turns into the items of one Langfuse wire format (OTLP
 * spans, or legacy ingestion events). A pure function: ids and clock come in from outside.
 */
public interface Projector extends ItemTruncator.ContentFields {

    List<ObjectNode> observation(LinkedObservation observation);

    /** The request body around a batch of this projector's items, and the Langfuse path it goes to. */
    WireFormat wireFormat();

    List<ObjectNode> turn(Turn turn);

    /** The observation's items as JSON bytes, as they are queued for export. */
    default List<byte[]> encodedObservation(LinkedObservation observation) {
        return encode(observation(observation));
    }

    /** The turn's items as JSON bytes, as they are queued for export. */
    default List<byte[]> encodedTurn(Turn turn) {
        return encode(turn(turn));
    }

    /**
     * The encoded items within {@code budget}'s limit: an item over it (rare: a huge prompt or
     * transcript) is read back, cut where this projector's format keeps its long texts, and
     * encoded again, and {@code onCut} told; the others pass untouched.
     */
    default List<byte[]> withinBudget(List<byte[]> items, ItemTruncator budget, Runnable onCut) {
        List<byte[]> fitted = items;
        for (int i = 0; i < items.size(); i++) {
            byte[] item = items.get(i);
            if (item.length <= budget.maxBytes()) {
                continue;
            }
            try {
                ObjectNode tree = (ObjectNode) Json.read(item);
                if (budget.fit(tree, item.length, this)) {
                    if (fitted == items) {
                        fitted = new java.util.ArrayList<>(items);
                    }
                    fitted.set(i, Json.writeBytes(tree));
                    onCut.run();
                }
            } catch (java.io.IOException | RuntimeException e) {
                // sent whole: the request size limit is the exporter's to enforce
            }
        }
        return fitted;
    }

    static List<byte[]> encode(List<ObjectNode> items) {
        List<byte[]> encoded = new java.util.ArrayList<>(items.size());
        for (ObjectNode item : items) {
            encoded.add(Json.writeBytes(item));
        }
        return encoded;
    }
}
