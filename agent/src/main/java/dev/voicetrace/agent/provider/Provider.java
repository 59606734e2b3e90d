package dev.voicetrace.agent.provider;

import dev.voicetrace.agent.tools.ToolCallReader;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One vendor API or client library the agent traces. Each lives in a package of its own holding
 * everything of it (matchers, operations, extractor, wire mapper, socket protocol) and is found
 * through {@link java.util.ServiceLoader} ({@code META-INF/services/dev.voicetrace.agent.provider.Provider}),
 * so adding one touches no framework class.
 */
public interface Provider {

    /**
     * The provider's id: the {@code provider} of its records, the name in
     * {@code voicetrace.instrumentation.<id>.enabled} and in {@code voicetrace.<id>.hosts}.
     */
    String id();

    /**
     * Class-name prefixes (dotted, e.g. {@code com.openai.}) of the client library this provider
     * instruments; none for a provider seen only in HTTP calls and sockets. Until the application
     * loads a class under one of them, nothing of the library's part is loaded or built: the agent's
     * start does not grow with the number of libraries it knows.
     */
    default String[] libraryPrefixes() {
        return new String[0];
    }

    /**
     * Declares the client library's operations and instrumentations: runs once, on the thread that
     * loads the library's first class under {@link #libraryPrefixes()} (for an agent attached to a
     * running JVM, at its start). Every instrumentation's class-name prefixes must lie under those
     * prefixes. Must not load the library's own classes.
     */
    default void installLibrary(LibrarySetup library) {
    }

    /**
     * Declares what is recognised by host, whatever HTTP or WebSocket client the application uses:
     * REST APIs and real-time socket protocols. Runs once at start on the thread that starts the
     * agent, so it must be cheap; must not load the provider's SDK classes.
     */
    default void install(ProviderSetup setup) {
    }

    /**
     * How this provider's recorded model calls name tools and carry their results, by the
     * {@code provider} its records carry; empty for providers without tool calls.
     */
    default Map<String, ToolCallReader> toolCallReaders() {
        return Collections.emptyMap();
    }

    /**
     * The hosts of the vendor's public API ({@code host} or {@code *.domain}), which trace context
     * across services is never sent to, whether or not this provider is switched on: trace headers
     * mean nothing to a vendor and would only tell it about the application's internals.
     */
    default List<String> publicApiHosts() {
        return Collections.emptyList();
    }
}
