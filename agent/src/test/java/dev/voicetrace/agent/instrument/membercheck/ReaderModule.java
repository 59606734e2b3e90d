package dev.voicetrace.agent.instrument.membercheck;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * A module whose provider's readers require the members of the {@code sdk-members.txt} beside it
 * (a subclass declared elsewhere has none).
 */
public class ReaderModule implements InstrumentationModule {

    private final String[] intercepted;

    public ReaderModule(String... intercepted) {
        this.intercepted = intercepted.clone();
    }

    @Override
    public String name() {
        return "member-check-library";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"java.util."};
    }

    @Override
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return ElementMatchers.none();
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return ElementMatchers.none();
    }

    @Override
    public List<Interception> interceptions() {
        return List.of();
    }

    @Override
    public String[] requiredMembers() {
        return intercepted.clone();
    }
}
