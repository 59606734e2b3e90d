package dev.voicetrace.agent.transcribe;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import java.util.Arrays;
import java.util.List;

/** AWS SDK v2 Transcribe Streaming. */
public final class TranscribeProvider implements Provider {

    @Override
    public String id() {
        return "transcribe";
    }

    @Override
    public void install(ProviderSetup setup) {
        TranscribeStreamingOperations.register(setup.operations());
        setup.instrument(new TranscribeStreamingInstrumentation());
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("*.amazonaws.com");
    }
}
