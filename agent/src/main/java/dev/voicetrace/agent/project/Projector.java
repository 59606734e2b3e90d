package dev.voicetrace.agent.project;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Turn;
import java.util.List;

/**
 * Turns linked observations and closed turns into the items of one Langfuse wire format (OTLP
 * spans, or legacy ingestion events). A pure function: ids and clock come in from outside.
 */
public interface Projector {

    List<ObjectNode> observation(LinkedObservation observation);

    List<ObjectNode> turn(Turn turn);
}
