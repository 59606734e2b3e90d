package dev.voicetrace.agent.instrument.membercheck;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.Matchers;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.List;

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
    public Matcher<TypeShape> typeNameFilter() {
        return Matchers.none();
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return Matchers.none();
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
