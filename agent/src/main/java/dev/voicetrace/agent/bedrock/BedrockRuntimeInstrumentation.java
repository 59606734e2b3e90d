package dev.voicetrace.agent.bedrock;

import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.bedrock.BedrockOperations;
import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Arrays;
import java.util.List;

/**
 * AWS SDK for Java v2, Bedrock Runtime: the generated client implementations
 * ({@code DefaultBedrockRuntimeClient}, {@code DefaultBedrockRuntimeAsyncClient}). Their
 * {@code converse} and {@code invokeModel} take the request object first; the interfaces'
 * {@code Consumer<Builder>} overloads are default methods that build the request and call these,
 * and interfaces are not instrumented, so each call is recorded once. {@code converseStream}
 * is keyed: its response handler argument is replaced by an observing one.
 */
public final class BedrockRuntimeInstrumentation implements InstrumentationModule {

    private static final String PACKAGE = "software.amazon.awssdk.services.bedrockruntime.";
    private static final String SYNC = PACKAGE + "DefaultBedrockRuntimeClient";
    private static final String ASYNC = PACKAGE + "DefaultBedrockRuntimeAsyncClient";
    private static final String MODEL = PACKAGE + "model.";

    @Override
    public String name() {
        return "aws-sdk-bedrockruntime";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"software.amazon.awssdk.services.bedrockruntime."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return namedOneOf(SYNC, ASYNC);
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return namedOneOf(SYNC, ASYNC);
    }

    @Override
    public List<Interception> interceptions() {
        return Arrays.asList(
                Interception.byRequestType(namedOneOf("converse", "invokeModel").and(takesArguments(1))
                        .and(takesArgument(0, namedOneOf(MODEL + "ConverseRequest", MODEL + "InvokeModelRequest")))
                        .and(isPublic()).and(not(isAbstract()))),
                Interception.byKey(named("converseStream").and(takesArguments(2))
                        .and(takesArgument(0, named(MODEL + "ConverseStreamRequest")))
                        .and(isPublic()).and(not(isAbstract())),
                        BedrockOperations.KEY_CONVERSE_STREAM));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            SYNC + "#converse",
            SYNC + "#invokeModel",
            ASYNC + "#converseStream",
            "software.amazon.awssdk.core.async.SdkPublisher#doAfterOnCancel",
        };
    }
}
