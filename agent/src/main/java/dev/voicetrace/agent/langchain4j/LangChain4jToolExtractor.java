package dev.voicetrace.agent.langchain4j;

import static dev.voicetrace.agent.capture.SdkMembers.get;
import static dev.voicetrace.agent.capture.SdkMembers.string;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.pipeline.SecretScrubber;
import dev.voicetrace.agent.tools.ToolJson;
import dev.voicetrace.agent.tools.ToolRecords;

/**
 * Reads a LangChain4j tool execution: the {@code ToolExecutionRequest} (id, name, arguments) and
 * what the executor returned, a text or a {@code ToolExecutionResult} (its text, and whether it
 * reports an error, which makes the observation an error too).
 */
final class LangChain4jToolExtractor implements CallExtractor {

    @Override
    public void extract(CompletedCall call, StageRecord record) {
        Object[] arguments = call.arguments();
        Object request = arguments.length > 0 ? arguments[0] : null;
        ToolRecords.describe(record, string(request, "name"), string(request, "id"), string(request, "arguments"));
        Object response = call.response();
        if (response instanceof String) {
            record.output = ToolJson.fromText((String) response);
        } else if (response != null) {
            String text = string(response, "resultText");
            record.output = ToolJson.fromText(text);
            if (Boolean.TRUE.equals(get(response, "isError")) && record.error == null) {
                record.error = SecretScrubber.scrub(text == null ? "the tool reported an error" : text);
            }
        }
    }
}
