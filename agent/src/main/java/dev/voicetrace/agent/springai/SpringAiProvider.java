package dev.voicetrace.agent.springai;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.LibrarySetup;
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
    public String[] libraryPrefixes() {
        return new String[] {"org.springframework.ai."};
    }

    @Override
    public void installLibrary(LibrarySetup setup) {
        SpringAiOperations.register(setup.operations());
        setup.instrument(new SpringAiInstrumentation(), new SpringAiToolInstrumentation());
    }

    @Override
    public Map<String, ToolCallReader> toolCallReaders() {
        // The framework's calls are recorded in the chat completions shape.
        return Collections.singletonMap(SpringAiOperations.PROVIDER, OpenAiToolCalls.INSTANCE);
    }
}
