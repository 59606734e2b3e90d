package dev.voicetrace.agent.googlespeech;

import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Arrays;
import java.util.List;

/**
 * Google Cloud Speech-to-Text (v1, v2) and Text-to-Speech (v1) generated clients: the unary
 * {@code recognize(RecognizeRequest)}, v1 {@code longRunningRecognizeAsync(LongRunningRecognizeRequest)}
 * and {@code synthesizeSpeech(SynthesizeSpeechRequest)}; the
 * flattened overloads build the request and call these. Streams are seen through gax
 * ({@link GaxBidiStreamingInstrumentation}).
 */
public final class GoogleSpeechInstrumentation implements InstrumentationModule {

    @Override
    public String name() {
        return "google-cloud-speech";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"com.google.cloud.speech.v", "com.google.cloud.texttospeech.v1."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return nameStartsWith("com.google.cloud.speech.v").or(nameStartsWith("com.google.cloud.texttospeech.v1."));
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return namedOneOf("com.google.cloud.speech.v1.SpeechClient", "com.google.cloud.speech.v2.SpeechClient",
                "com.google.cloud.texttospeech.v1.TextToSpeechClient");
    }

    @Override
    public List<Interception> interceptions() {
        return Arrays.asList(Interception.byRequestType(
                namedOneOf("recognize", "longRunningRecognizeAsync", "synthesizeSpeech").and(isPublic())
                .and(takesArguments(1)).and(takesArgument(0, namedOneOf(
                        "com.google.cloud.speech.v1.RecognizeRequest",
                        "com.google.cloud.speech.v1.LongRunningRecognizeRequest",
                        "com.google.cloud.speech.v2.RecognizeRequest",
                        "com.google.cloud.texttospeech.v1.SynthesizeSpeechRequest")))));
    }

    @Override
    public String[] requiredMembers() {
        // the intercepted callables are gax's, checked by the gax module; what the readers need of
        // the speech and text-to-speech messages is in sdk-members.txt
        return new String[0];
    }
}
