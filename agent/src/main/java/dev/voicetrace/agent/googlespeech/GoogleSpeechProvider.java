package dev.voicetrace.agent.googlespeech;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.LibrarySetup;
import java.util.Arrays;
import java.util.List;

/** Google Cloud Speech-to-Text and Text-to-Speech clients (gax). */
public final class GoogleSpeechProvider implements Provider {

    @Override
    public String id() {
        return "googlespeech";
    }

    @Override
    public String[] libraryPrefixes() {
        return new String[] {"com.google.cloud.speech.v", "com.google.cloud.texttospeech.v1.", "com.google.api.gax."};
    }

    @Override
    public void installLibrary(LibrarySetup setup) {
        GoogleSpeechOperations.register(setup.operations());
        setup.instrument(new GoogleSpeechInstrumentation(), new GaxBidiStreamingInstrumentation());
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("*.googleapis.com");
    }
}
