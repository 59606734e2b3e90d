package dev.voicetrace.agent.gemini;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;

/** Google Gen AI SDK (java-genai): Gemini content generation. */
public final class GeminiProvider implements Provider {

    @Override
    public String id() {
        return "gemini";
    }

    @Override
    public void install(ProviderSetup setup) {
        GeminiOperations.register(setup.operations());
        setup.instrument(new GoogleGenAiInstrumentation());
    }
}
