package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.List;

/**
 * One client library's instrumentation: which types and methods are intercepted,
 * and which classes must exist for the agent to understand the library's version.
 */
public interface InstrumentationModule {

    /** A short name for log lines, e.g. {@code openai-java}. */
    String name();

    /**
     * Class-name prefixes (dotted, e.g. {@code com.openai.services.}) under which every type this
     * module intercepts lies: its transformations are built when the first class under one of
     * them loads, and nothing of it costs anything before. None when the intercepted types can
     * have any name (the application's classes implementing an API): the module is then built on
     * the first class of a loader it {@link #appliesTo}.
     */
    String[] classNamePrefixes();

    /** A cheap first filter on type names, checked before any type hierarchy is resolved. */
    Matcher<TypeShape> typeNameFilter();

    Matcher<TypeShape> typeMatcher();

    /**
     * Whether types of this class loader are considered at all, checked before {@link #typeMatcher}:
     * a module that matches by supertype skips loaders that cannot see its library.
     */
    default boolean appliesTo(ClassLoader loader) {
        return true;
    }

    /** The intercepted methods of a matched type. */
    List<Interception> interceptions();

    /**
     * The members (as {@code type#method}) this module intercepts or wraps around the application's
     * objects: when one is missing from the library's class loader, the library version is not
     * understood and nothing of it is instrumented. They are named here because the matchers above
     * name them. What the provider's readers require of the SDK's objects is not listed by hand: it
     * is {@code sdk-members.txt} in the module's package, written from what the readers read over
     * the real SDKs, and a member missing there is reported as drift (see {@link SupportCheck}).
     */
    String[] requiredMembers();
}
