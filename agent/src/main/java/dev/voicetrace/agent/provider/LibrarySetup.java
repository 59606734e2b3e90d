package dev.voicetrace.agent.provider;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.instrument.InstrumentationModule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a {@link Provider} declares of its client library when the library's first class loads: the
 * operations it understands and the SDK classes it instruments.
 */
public final class LibrarySetup {

    private final OperationRegistry operations;
    private final List<InstrumentationModule> modules = new ArrayList<>();

    public LibrarySetup(OperationRegistry operations) {
        this.operations = operations;
    }

    /** The registry to put the library's operations in. */
    public OperationRegistry operations() {
        return operations;
    }

    /** SDK classes to instrument. */
    public void instrument(InstrumentationModule... libraryModules) {
        Collections.addAll(modules, libraryModules);
    }

    public List<InstrumentationModule> modules() {
        return modules;
    }
}
