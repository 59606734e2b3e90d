package dev.voicetrace.agent.googlespeech;

import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.InstrumentationModule;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return nameStartsWith("com.google.api.gax.");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
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
