package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Matchers.hasSuperType;
import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isInterface;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Collections;
import java.util.List;

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
    public String[] classNamePrefixes() {
        return new String[] {servicesPackage};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return nameStartsWith(servicesPackage);
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
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
