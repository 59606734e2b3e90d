package dev.voicetrace.agent.anthropic;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import dev.voicetrace.agent.tools.ToolCallReader;
import dev.voicetrace.agent.instrument.SseMessageInstrumentation;
import java.util.Collections;
import java.util.Map;

/** anthropic-java: messages, sync, async and streamed. */
public final class AnthropicProvider implements Provider {

    @Override
    public String id() {
        return "anthropic";
    }

    @Override
    public void install(ProviderSetup setup) {
        AnthropicOperations.register(setup.operations());
        setup.instrument(new AnthropicInstrumentation());
        // Streamed items are read from the SSE text the SDK received, not serialised again.
        SseMessageInstrumentation sse = new SseMessageInstrumentation("anthropic-java-sse", "com.anthropic", "getEvent");
        sse.register(setup.operations());
        setup.instrument(sse);
    }

    @Override
    public Map<String, ToolCallReader> toolCallReaders() {
        return Collections.singletonMap(AnthropicOperations.PROVIDER, AnthropicToolCalls.INSTANCE);
    }
}
