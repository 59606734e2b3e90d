package dev.voicetrace.agent.provider;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.instrument.InstrumentationModule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A provider's client library, known at start only by its class-name prefixes: its operations and
 * instrumentations are declared the first time they are asked for, once the application has loaded
 * one of its classes.
 */
public final class ProviderLibrary {

    private final Provider provider;
    private final String[] prefixes;
    private final OperationRegistry operations;
    private final Consumer<String> log;
    /** Null until installed; then the library's instrumentations, empty when its provider failed. */
    private List<InstrumentationModule> modules;

    ProviderLibrary(Provider provider, String[] prefixes, OperationRegistry operations, Consumer<String> log) {
        this.provider = provider;
        this.prefixes = prefixes.clone();
        this.operations = operations;
        this.log = log;
    }

    /** The provider's id, which names the library in log lines and switches. */
    public String id() {
        return provider.id();
    }

    /** The prefixes (dotted) of every class the library's instrumentations may change. */
    public String[] classNamePrefixes() {
        return prefixes.clone();
    }

    /**
     * Lets the provider declare its library, once: its operations go into the registry, and its
     * instrumentations are returned. A provider that fails, or an instrumentation whose classes lie
     * outside the library's prefixes, is left out with one log line; the library then runs
     * untraced, or without that instrumentation.
     */
    public synchronized List<InstrumentationModule> install() {
        if (modules != null) {
            return modules;
        }
        LibrarySetup setup = new LibrarySetup(operations);
        try {
            provider.installLibrary(setup);
        } catch (RuntimeException | LinkageError e) {
            log.accept("provider " + id() + " is not traced: " + e);
            modules = Collections.emptyList();
            return modules;
        }
        List<InstrumentationModule> accepted = new ArrayList<>();
        for (InstrumentationModule module : setup.modules()) {
            String outside = prefixOutsideLibrary(module);
            if (outside == null) {
                accepted.add(module);
            } else {
                log.accept("provider " + id() + ": instrumentation " + module.name() + " is left out: it changes"
                        + " classes under " + outside + ", outside the library's prefixes "
                        + String.join(", ", prefixes));
            }
        }
        modules = Collections.unmodifiableList(accepted);
        return modules;
    }

    /** The first of the module's prefixes that no prefix of the library covers, or null. */
    private String prefixOutsideLibrary(InstrumentationModule module) {
        String[] own = module.classNamePrefixes();
        if (own.length == 0) {
            return "any name";
        }
        for (String prefix : own) {
            boolean covered = false;
            for (String libraryPrefix : prefixes) {
                covered |= prefix.startsWith(libraryPrefix);
            }
            if (!covered) {
                return prefix;
            }
        }
        return null;
    }
}
