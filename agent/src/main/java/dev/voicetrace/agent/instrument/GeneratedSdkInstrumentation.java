package dev.voicetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * SDKs generated in the same style (openai-java, anthropic-java) send every request through the
 * {@code WithRawResponse} implementations of their services: the plain sync and async methods
 * call them and parse their result. Advice on their two-argument {@code create} and
 * {@code createStreaming} therefore covers sync, async, streaming and raw-response use. A
 * subclass names the SDK's service interfaces and the members its extractor relies on.
 */
public abstract class GeneratedSdkInstrumentation implements InstrumentationModule {

    private final String name;
    private final String servicesPackage;
    private final String[] rawServices;
    private final String[] requiredMembers;

    protected GeneratedSdkInstrumentation(String name, String servicesPackage, String[] rawServices, String[] requiredMembers) {
        this.name = name;
        this.servicesPackage = servicesPackage;
        this.rawServices = rawServices.clone();
        this.requiredMembers = requiredMembers.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return nameStartsWith(servicesPackage);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return not(isInterface()).and(hasSuperType(namedOneOf(rawServices)));
    }

    @Override
    public List<Interception> interceptions() {
        return Collections.singletonList(Interception.byRequestType(
                namedOneOf("create", "createStreaming").and(takesArguments(2)).and(isPublic()).and(not(isAbstract()))));
    }

    @Override
    public String[] requiredMembers() {
        return requiredMembers.clone();
    }
}
