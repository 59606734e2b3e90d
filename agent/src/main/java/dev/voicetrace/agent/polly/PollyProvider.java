package dev.voicetrace.agent.polly;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import java.util.Arrays;
import java.util.List;

/** AWS SDK v2 Polly speech synthesis. */
public final class PollyProvider implements Provider {

    @Override
    public String id() {
        return "polly";
    }

    @Override
    public void install(ProviderSetup setup) {
        PollyOperations.register(setup.operations());
        setup.instrument(new PollyInstrumentation());
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("*.amazonaws.com");
    }
}
