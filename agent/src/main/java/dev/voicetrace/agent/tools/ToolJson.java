package dev.voicetrace.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.json.Json;
import java.io.IOException;

/** How tool arguments and results are kept: JSON text as the JSON it holds, other text as text. */
public final class ToolJson {

    private ToolJson() {}

    /** {@code text} parsed when it is a JSON object or array, else the text itself; null stays null. */
    public static JsonNode fromText(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return Json.read(trimmed);
            } catch (IOException | RuntimeException e) {
                // not JSON after all: keep the text as the tool produced it
            }
        }
        return Json.NODES.textNode(text);
    }

    /** A wire value that may hold JSON as a string (OpenAI's arguments and tool contents). */
    public static JsonNode fromWire(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        return value.isTextual() ? fromText(value.asText()) : value;
    }
}
