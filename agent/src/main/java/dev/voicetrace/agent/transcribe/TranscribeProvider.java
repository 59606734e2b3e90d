package dev.voicetrace.agent.transcribe;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.LibrarySetup;
import java.util.Arrays;
import java.util.List;

/** AWS SDK v2 Transcribe Streaming. */
public final class TranscribeProvider implements Provider {

    @Override
    public String id() {
        return "transcribe";
    }

    @Override
    public String[] libraryPrefixes() {
        return new String[] {"software.amazon.awssdk.services.transcribestreaming."};
    }

    @Override
    public void installLibrary(LibrarySetup setup) {
        TranscribeStreamingOperations.register(setup.operations());
        setup.instrument(new TranscribeStreamingInstrumentation());
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("*.amazonaws.com");
    }
}
