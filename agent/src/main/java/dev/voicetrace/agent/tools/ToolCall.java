package dev.voicetrace.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;

/** A tool call a model asked for in its reply: the provider's call id (null when it has none), name, arguments. */
public final class ToolCall {

    public final String id;
    public final String name;
    /** The arguments as the model wrote them: a JSON object, or the text when it is not JSON. */
    public final JsonNode arguments;

    public ToolCall(String id, String name, JsonNode arguments) {
        this.id = id;
        this.name = name;
        this.arguments = arguments;
    }

    @Override
    public String toString() {
        return name + (id == null ? "" : "#" + id);
    }
}
