package dev.voicetrace.agent.transcribe;

import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Collections;
import java.util.List;

/**
 * AWS SDK for Java v2, Amazon Transcribe streaming: {@code startStreamTranscription(request,
 * audioPublisher, responseHandler)} of the generated async client. The interface's
 * {@code Consumer<Builder>} overload is a default method that builds the request and calls it.
 * The medical, call-analytics and medical-scribe streams of the same client are not matched.
 */
public final class TranscribeStreamingInstrumentation implements InstrumentationModule {

    private static final String PACKAGE = "software.amazon.awssdk.services.transcribestreaming.";
    private static final String CLIENT = PACKAGE + "DefaultTranscribeStreamingAsyncClient";
    private static final String MODEL = PACKAGE + "model.";

    @Override
    public String name() {
        return "aws-sdk-transcribestreaming";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"software.amazon.awssdk.services.transcribestreaming."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return named(CLIENT);
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return named(CLIENT);
    }

    @Override
    public List<Interception> interceptions() {
        return Collections.singletonList(Interception.byKey(named("startStreamTranscription")
                .and(takesArguments(3))
                .and(takesArgument(0, named(MODEL + "StartStreamTranscriptionRequest")))
                .and(takesArgument(1, named("org.reactivestreams.Publisher")))
                .and(takesArgument(2, named(MODEL + "StartStreamTranscriptionResponseHandler")))
                .and(isPublic()).and(not(isAbstract())),
                TranscribeStreamingOperations.KEY));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            CLIENT + "#startStreamTranscription",
            MODEL + "AudioEvent#audioChunk",
            "software.amazon.awssdk.core.BytesWrapper#asByteBuffer",
            "software.amazon.awssdk.core.async.SdkPublisher#doAfterOnCancel",
        };
    }
}
