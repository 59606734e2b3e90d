package dev.voicetrace.agent.springai;

import static dev.voicetrace.agent.capture.SdkMembers.get;
import static dev.voicetrace.agent.capture.SdkMembers.string;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.tools.ToolJson;
import dev.voicetrace.agent.tools.ToolRecords;

/**
 * Reads a Spring AI tool call: the callback's definition names the tool, its input is the
 * arguments the model wrote, its return value the result. Spring AI does not pass the model's
 * call id to the callback: the agent finds it by name and arguments among the calls asked for.
 */
final class SpringAiToolExtractor implements CallExtractor {

    @Override
    public void extract(CompletedCall call, StageRecord record) {
        Object callback = call.receiver();
        String input = call.request() instanceof String ? (String) call.request() : null;
        ToolRecords.describe(record, string(get(callback, "getToolDefinition"), "name"), null, input);
        if (call.response() instanceof String) {
            record.output = ToolJson.fromText((String) call.response());
        }
    }
}
