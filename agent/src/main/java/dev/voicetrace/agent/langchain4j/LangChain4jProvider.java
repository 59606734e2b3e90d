package dev.voicetrace.agent.langchain4j;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.LibrarySetup;
import dev.voicetrace.agent.tools.ToolCallReader;
import java.util.Collections;
import java.util.Map;
import dev.voicetrace.agent.openai.OpenAiToolCalls;

/** LangChain4j chat models and tool executors. */
public final class LangChain4jProvider implements Provider {

    @Override
    public String id() {
        return "langchain4j";
    }

    @Override
    public String[] libraryPrefixes() {
        return new String[] {"dev.langchain4j."};
    }

    @Override
    public void installLibrary(LibrarySetup setup) {
        LangChain4jOperations.register(setup.operations());
        setup.instrument(new LangChain4jInstrumentation(), new LangChain4jToolInstrumentation());
    }

    @Override
    public Map<String, ToolCallReader> toolCallReaders() {
        // The framework's calls are recorded in the chat completions shape.
        return Collections.singletonMap(LangChain4jOperations.PROVIDER, OpenAiToolCalls.INSTANCE);
    }
}
