package dev.voicetrace.agent.springai;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import dev.voicetrace.agent.tools.ToolCallReader;
import java.util.Collections;
import java.util.Map;
import dev.voicetrace.agent.openai.OpenAiToolCalls;

/** Spring AI chat models and tool callbacks. */
public final class SpringAiProvider implements Provider {

    @Override
    public String id() {
        return "springai";
    }

    @Override
    public void install(ProviderSetup setup) {
        SpringAiOperations.register(setup.operations());
        setup.instrument(new SpringAiInstrumentation(), new SpringAiToolInstrumentation());
    }

    @Override
    public Map<String, ToolCallReader> toolCallReaders() {
        // The framework's calls are recorded in the chat completions shape.
        return Collections.singletonMap(SpringAiOperations.PROVIDER, OpenAiToolCalls.INSTANCE);
    }
}
