package dev.voicetrace.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Reads tool calls out of one provider's wire JSON as the mappers record it: the calls a model's
 * reply asks for ({@code StageRecord.output}) and the results a later request carries
 * ({@code StageRecord.input}). Pure functions of JSON; they never throw on unexpected shapes.
 */
public interface ToolCallReader {

    /** The tool calls a reply asks for, in order; empty when it asks for none. */
    List<ToolCall> requestedCalls(JsonNode output);

    /** The tool results a request carries, in order; empty when it carries none. */
    List<ToolResult> results(JsonNode input);
}
