package dev.voicetrace.agent.polly;

import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.MethodShape;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Arrays;
import java.util.List;

/**
 * AWS SDK for Java v2, Amazon Polly: {@code synthesizeSpeech(request, transformer)} of the
 * generated sync and async clients. Every other overload (plain, {@code Consumer<Builder>}, to a
 * file, as bytes) is a default method of the client interface that calls this one.
 */
public final class PollyInstrumentation implements InstrumentationModule {

    private static final String REQUEST = "software.amazon.awssdk.services.polly.model.SynthesizeSpeechRequest";

    @Override
    public String name() {
        return "aws-sdk-polly";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"software.amazon.awssdk.services.polly."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return nameStartsWith("software.amazon.awssdk.services.polly.Default");
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return namedOneOf("software.amazon.awssdk.services.polly.DefaultPollyClient",
                "software.amazon.awssdk.services.polly.DefaultPollyAsyncClient");
    }

    @Override
    public List<Interception> interceptions() {
        return Arrays.asList(
                Interception.byKey(synthesize("software.amazon.awssdk.core.sync.ResponseTransformer"),
                        PollyOperations.SYNC_KEY),
                Interception.byKey(synthesize("software.amazon.awssdk.core.async.AsyncResponseTransformer"),
                        PollyOperations.ASYNC_KEY));
    }

    private static Matcher<MethodShape> synthesize(String transformerType) {
        return named("synthesizeSpeech").and(isPublic()).and(takesArguments(2))
                .and(takesArgument(0, named(REQUEST))).and(takesArgument(1, named(transformerType)));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            "software.amazon.awssdk.http.AbortableInputStream#create",
        };
    }
}
