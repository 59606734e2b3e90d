package dev.voicetrace.agent.anthropic;

import dev.voicetrace.agent.capture.ResponseBodies;
import dev.voicetrace.agent.capture.StreamWireMessages;
import dev.voicetrace.agent.instrument.GeneratedSdkJsonHandlers;
import dev.voicetrace.agent.instrument.WireAccessInstrumentation;
import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.LibrarySetup;
import dev.voicetrace.agent.tools.ToolCallReader;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** anthropic-java: messages, sync, async and streamed. */
public final class AnthropicProvider implements Provider {

    @Override
    public String id() {
        return "anthropic";
    }

    @Override
    public String[] libraryPrefixes() {
        return new String[] {"com.anthropic."};
    }

    @Override
    public void installLibrary(LibrarySetup setup) {
        AnthropicOperations.register(setup.operations());
        setup.instrument(new AnthropicInstrumentation());
        // A response's JSON body as the SDK reads it to parse it (its services' JSON handlers read body()).
        GeneratedSdkJsonHandlers.install(setup, "anthropic-java-response", "com.anthropic.", ResponseBodies::onHandling);
        // Streamed items are read from the SSE text the SDK received, not serialised again: its
        // stream handler reads getEvent() of every message before it parses the item.
        WireAccessInstrumentation.install(setup, "anthropic-java-sse", "com.anthropic.core.http.SseMessage", "getEvent",
                StreamWireMessages::onMessage);
    }

    @Override
    public Map<String, ToolCallReader> toolCallReaders() {
        return Collections.singletonMap(AnthropicOperations.PROVIDER, AnthropicToolCalls.INSTANCE);
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("api.anthropic.com", "*.anthropic.com");
    }
}
