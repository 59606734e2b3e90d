package dev.voicetrace.agent.tools;

import dev.voicetrace.agent.model.StageRecord;

/** How a tool that a framework ran under the agent's eyes is described on its record. */
public final class ToolRecords {

    private ToolRecords() {}

    /** Name, call id (null when the framework does not pass one), the arguments as input; exact timing. */
    public static void describe(StageRecord record, String name, String callId, String arguments) {
        if (name != null) {
            record.metadata.put("tool_name", name);
        }
        if (callId != null && !callId.isEmpty()) {
            record.metadata.put("tool_call_id", callId);
        }
        record.metadata.put("timing", "observed");
        record.input = ToolJson.fromText(arguments);
    }
}
