package dev.voicetrace.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool result an application sent back to a model: the id of the call it answers (null when the
 * provider has none), the tool's name where the wire carries it, the result, and whether the
 * application marked it as an error.
 */
public final class ToolResult {

    public final String callId;
    public final String name;
    public final JsonNode content;
    public final boolean error;
    /**
     * Without a call id: the arguments of the call this result answers, as the request repeats
     * that call before its result; null when unknown.
     */
    public final JsonNode callArguments;

    public ToolResult(String callId, String name, JsonNode content, boolean error) {
        this(callId, name, content, error, null);
    }

    public ToolResult(String callId, String name, JsonNode content, boolean error, JsonNode callArguments) {
        this.callId = callId;
        this.name = name;
        this.content = content;
        this.error = error;
        this.callArguments = callArguments;
    }
}
