package dev.voicetrace.agent.springai;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;

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
}
