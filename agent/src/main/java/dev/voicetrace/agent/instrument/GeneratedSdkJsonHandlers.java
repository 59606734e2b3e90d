package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Matchers.isBridge;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import dev.voicetrace.agent.provider.LibrarySetup;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The JSON response handlers of an SDK generated in the Stainless style (openai-java,
 * anthropic-java): each service inlines the SDK's {@code jsonHandler} function, so every
 * service class has handler classes of its own, named {@code ...$$inlined$jsonHandler$N}, whose
 * {@code handle(HttpResponse)} reads the response body with the SDK's mapper. Before each call the
 * agent gets the arguments and may replace the response by a stand-in (one whose body is copied as
 * read); the call is never traced as one of its own.
 */
public final class GeneratedSdkJsonHandlers implements InstrumentationModule {

    /** What Kotlin names the class of a lambda or object inlined from {@code jsonHandler}. */
    private static final String INLINED_HANDLER = "$$inlined$jsonHandler$";

    private final String name;
    private final String servicesPackage;
    private final String httpResponse;
    private final String operationKey;

    private GeneratedSdkJsonHandlers(String name, String sdkPackage) {
        this.name = name;
        this.servicesPackage = sdkPackage + "services.";
        this.httpResponse = sdkPackage + "core.http.HttpResponse";
        this.operationKey = name + ".handle";
    }

    /**
     * Instruments the handlers of the SDK under {@code sdkPackage} (e.g. {@code com.openai.}):
     * {@code arguments} gets each call's arguments on the calling thread.
     */
    public static void install(LibrarySetup setup, String name, String sdkPackage, Consumer<Object[]> arguments) {
        GeneratedSdkJsonHandlers module = new GeneratedSdkJsonHandlers(name, sdkPackage);
        setup.operations().registerRouter(module.operationKey, (receiver, values) -> {
            arguments.accept(values);
            return null;
        });
        setup.instrument(module);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {servicesPackage};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        Matcher<TypeShape> inlinedHandler = type -> type.name().contains(INLINED_HANDLER);
        return inlinedHandler.and(nameStartsWith(servicesPackage));
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return typeNameFilter();
    }

    @Override
    public List<Interception> interceptions() {
        return Collections.singletonList(Interception.byKey(named("handle").and(takesArguments(1))
                .and(takesArgument(0, named(httpResponse))).and(isPublic()).and(not(isBridge())), operationKey));
    }

    /** Handlers come and go with the services; an SDK without them is read as before. */
    @Override
    public String[] requiredMembers() {
        return new String[0];
    }
}
