package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import dev.voicetrace.agent.provider.LibrarySetup;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * An SDK object that holds what goes over the wire (a generated SDK's SSE message with its
 * {@code data:} text, its HTTP request with the JSON body it serialised once), reported to the
 * agent when the SDK itself reads one of its accessors. The agent then reads the JSON the SDK
 * already has instead of serialising the SDK's objects again with the SDK's mapper. Advice on the
 * accessor only hands the object's reference on, on the application's thread; the call is never
 * traced as one of its own.
 */
public final class WireAccessInstrumentation implements InstrumentationModule {

    private final String name;
    private final String type;
    private final String accessor;
    private final String operationKey;

    private WireAccessInstrumentation(String name, String type, String accessor) {
        this.name = name;
        this.type = type;
        this.accessor = accessor;
        this.operationKey = name + "." + accessor;
    }

    /**
     * Instruments {@code type}'s public no-argument {@code accessor}: every time the SDK calls it,
     * {@code seen} gets the object (on the calling thread: it must only keep the reference).
     */
    public static void install(LibrarySetup setup, String name, String type, String accessor, Consumer<Object> seen) {
        WireAccessInstrumentation module = new WireAccessInstrumentation(name, type, accessor);
        module.register(setup.operations(), seen);
        setup.instrument(module);
    }

    private void register(OperationRegistry registry, Consumer<Object> seen) {
        registry.registerRouter(operationKey, (object, arguments) -> {
            seen.accept(object);
            return null;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {type.substring(0, type.lastIndexOf('.') + 1)};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return named(type);
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return named(type);
    }

    @Override
    public List<Interception> interceptions() {
        return Collections.singletonList(Interception.byKey(
                named(accessor).and(takesArguments(0)).and(isPublic()), operationKey));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {type + "#" + accessor};
    }
}
