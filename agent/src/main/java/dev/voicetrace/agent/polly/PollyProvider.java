package dev.voicetrace.agent.polly;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.LibrarySetup;
import java.util.Arrays;
import java.util.List;

/** AWS SDK v2 Polly speech synthesis. */
public final class PollyProvider implements Provider {

    @Override
    public String id() {
        return "polly";
    }

    @Override
    public String[] libraryPrefixes() {
        return new String[] {"software.amazon.awssdk.services.polly."};
    }

    @Override
    public void installLibrary(LibrarySetup setup) {
        PollyOperations.register(setup.operations());
        setup.instrument(new PollyInstrumentation());
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("*.amazonaws.com");
    }
}
