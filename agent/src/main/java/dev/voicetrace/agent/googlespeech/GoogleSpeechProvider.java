package dev.voicetrace.agent.googlespeech;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import java.util.Arrays;
import java.util.List;

/** Google Cloud Speech-to-Text and Text-to-Speech clients (gax). */
public final class GoogleSpeechProvider implements Provider {

    @Override
    public String id() {
        return "googlespeech";
    }

    @Override
    public void install(ProviderSetup setup) {
        GoogleSpeechOperations.register(setup.operations());
        setup.instrument(new GoogleSpeechInstrumentation(), new GaxBidiStreamingInstrumentation());
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("*.googleapis.com");
    }
}
