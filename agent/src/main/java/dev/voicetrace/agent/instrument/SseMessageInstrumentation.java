package dev.voicetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.StreamWireMessages;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The SSE message class of a generated (Stainless-style) SDK, {@code <sdk>.core.http.SseMessage}:
 * its stream handler reads one accessor of every decoded message (the data, or the event name)
 * before it parses the message into the item it yields. Advice on that accessor tells
 * {@link StreamWireMessages} which message the next stream item comes from, so that the item's
 * JSON is the message's {@code data:} text as sent rather than the item serialised again.
 */
public final class SseMessageInstrumentation implements InstrumentationModule {

    private final String name;
    private final String packagePrefix;
    private final String messageType;
    private final String accessor;
    private final String operationKey;

    /**
     * @param sdkPackage the SDK's root package, e.g. {@code com.openai}
     * @param accessor the no-argument accessor its stream handler calls on every message
     */
    public SseMessageInstrumentation(String name, String sdkPackage, String accessor) {
        this.name = name;
        this.packagePrefix = sdkPackage + ".core.http.";
        this.messageType = packagePrefix + "SseMessage";
        this.accessor = accessor;
        this.operationKey = name + ".sseMessage." + accessor;
    }

    /**
     * Registers the key under which the accessor's calls arrive: never a traced call of its own,
     * only a note of the message for the stream the thread is advancing.
     */
    public void register(OperationRegistry registry) {
        registry.registerRouter(operationKey, (message, arguments) -> {
            StreamWireMessages.onMessage(message);
            return null;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {packagePrefix};
    }

    @Override
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return named(messageType);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(messageType);
    }

    @Override
    public List<Interception> interceptions() {
        return Collections.singletonList(Interception.byKey(
                named(accessor).and(takesArguments(0)).and(isPublic()), operationKey));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {messageType + "#" + accessor, messageType + "#getData"};
    }
}
