package dev.voicetrace.agent.gemini;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.LibrarySetup;
import dev.voicetrace.agent.tools.ToolCallReader;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Google Gen AI SDK (java-genai): Gemini content generation. */
public final class GeminiProvider implements Provider {

    @Override
    public String id() {
        return "gemini";
    }

    @Override
    public String[] libraryPrefixes() {
        return new String[] {"com.google.genai."};
    }

    @Override
    public void installLibrary(LibrarySetup setup) {
        GeminiOperations.register(setup.operations());
        setup.instrument(new GoogleGenAiInstrumentation());
    }

    @Override
    public Map<String, ToolCallReader> toolCallReaders() {
        return Collections.singletonMap(GeminiOperations.PROVIDER, GeminiToolCalls.INSTANCE);
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("generativelanguage.googleapis.com", "*.googleapis.com");
    }
}
