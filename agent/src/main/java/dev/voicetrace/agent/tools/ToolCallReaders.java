package dev.voicetrace.agent.tools;

import dev.voicetrace.agent.anthropic.AnthropicToolCalls;
import dev.voicetrace.agent.bedrock.BedrockToolCalls;
import dev.voicetrace.agent.gemini.GeminiToolCalls;
import dev.voicetrace.agent.openai.OpenAiToolCalls;

/** Which reader understands a provider's recorded model calls; null for providers without tool calls. */
public final class ToolCallReaders {

    private ToolCallReaders() {}

    public static ToolCallReader forProvider(String provider) {
        if (provider == null) {
            return null;
        }
        switch (provider) {
            case "openai":
            case "langchain4j":
            case "spring-ai":
                // The frameworks' calls are recorded in the chat completions shape.
                return OpenAiToolCalls.INSTANCE;
            case "anthropic":
                return AnthropicToolCalls.INSTANCE;
            case "google":
                return GeminiToolCalls.INSTANCE;
            case "bedrock":
                return BedrockToolCalls.INSTANCE;
            default:
                return null;
        }
    }
}
