package dev.voicetrace.agent.anthropic;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;

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
    }
}
