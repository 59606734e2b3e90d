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
     * Declares what the agent intercepts for this provider and how it reads it. Runs once at start
     * on the thread that starts the agent; must not load the provider's own SDK classes.
     */
    void install(ProviderSetup setup);

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
