package dev.voicetrace.agent.googlespeech;

import static dev.voicetrace.agent.instrument.weave.Matchers.hasSuperType;
import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isInterface;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Collections;
import java.util.List;

/**
 * gax (Google's client library runtime): {@code BidiStreamingCallable.internalCall}, which every
 * way of opening a bidirectional stream ends in. Callables wrap one another; only the outermost
 * call on a thread is observed. Which API a stream belongs to is seen from its first message:
 * streams of other APIs are passed through and not recorded.
 */
public final class GaxBidiStreamingInstrumentation implements InstrumentationModule {

    static final String BIDI_CALLABLE = "com.google.api.gax.rpc.BidiStreamingCallable";

    @Override
    public String name() {
        return "google-gax-bidi-streaming";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"com.google.api.gax."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return nameStartsWith("com.google.api.gax.");
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return not(isInterface()).and(not(isAbstract())).and(hasSuperType(named(BIDI_CALLABLE)));
    }

    @Override
    public List<Interception> interceptions() {
        return Collections.singletonList(Interception.byKey(
                named("internalCall").and(isPublic()).and(not(isAbstract())).and(takesArguments(3)),
                GoogleSpeechOperations.BIDI_KEY));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            BIDI_CALLABLE + "#internalCall",
            "com.google.api.gax.rpc.ClientStream#send",
            "com.google.api.gax.rpc.ResponseObserver#onResponse",
            "com.google.api.gax.rpc.ClientStreamReadyObserver#onReady",
        };
    }
}
