package dev.voicetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * anthropic-java (generated like openai-java): {@code messages().create} and
 * {@code createStreaming}, sync and async, go through the {@code WithRawResponse} implementations
 * of the message services, so advice on their two-argument {@code create} and
 * {@code createStreaming} covers plain, streaming, async and raw-response use. The beta message
 * service and the batch service are other types and are left alone.
 */
public final class AnthropicInstrumentation implements InstrumentationModule {

    private static final String[] RAW_SERVICES = {
        "com.anthropic.services.blocking.MessageService$WithRawResponse",
        "com.anthropic.services.async.MessageServiceAsync$WithRawResponse",
    };

    @Override
    public String name() {
        return "anthropic-java";
    }

    @Override
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return nameStartsWith("com.anthropic.services.");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return not(isInterface()).and(hasSuperType(namedOneOf(RAW_SERVICES)));
    }

    @Override
    public ElementMatcher<MethodDescription> methodMatcher() {
        return namedOneOf("create", "createStreaming").and(takesArguments(2)).and(isPublic()).and(not(isAbstract()));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            "com.anthropic.core.ObjectMappers#jsonMapper",
            "com.anthropic.core.http.HttpResponseFor#parse",
            "com.anthropic.core.http.StreamResponse#stream",
            "com.anthropic.models.messages.MessageCreateParams#_body",
        };
    }
}
