package dev.voicetrace.agent.bedrock;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;

/** AWS SDK v2 Bedrock Runtime: Converse, ConverseStream, InvokeModel. */
public final class BedrockProvider implements Provider {

    @Override
    public String id() {
        return "bedrock";
    }

    @Override
    public void install(ProviderSetup setup) {
        BedrockOperations.register(setup.operations());
        setup.instrument(new BedrockRuntimeInstrumentation());
    }
}
