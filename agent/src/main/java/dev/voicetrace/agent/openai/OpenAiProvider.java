package dev.voicetrace.agent.openai;

import dev.voicetrace.agent.capture.SentRequests;
import dev.voicetrace.agent.capture.ResponseBodies;
import dev.voicetrace.agent.capture.StreamWireMessages;
import dev.voicetrace.agent.instrument.GeneratedSdkJsonHandlers;
import dev.voicetrace.agent.instrument.WireAccessInstrumentation;
import dev.voicetrace.agent.provider.LibrarySetup;
import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import dev.voicetrace.agent.tools.ToolCallReader;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** openai-java (chat, Responses, audio) and the Realtime API's WebSockets. */
public final class OpenAiProvider implements Provider {

    @Override
    public String id() {
        return "openai";
    }

    @Override
    public String[] libraryPrefixes() {
        return new String[] {"com.openai."};
    }

    @Override
    public void installLibrary(LibrarySetup setup) {
        OpenAiOperations.register(setup.operations());
        setup.instrument(new OpenAiInstrumentation());
        // A response's JSON body as the SDK reads it to parse it (its services' JSON handlers read body()).
        GeneratedSdkJsonHandlers.install(setup, "openai-java-response", "com.openai.", ResponseBodies::onHandling);
        // Streamed items are read from the SSE text the SDK received, not serialised again: its
        // stream handler reads getData() of every message before it parses the item.
        WireAccessInstrumentation.install(setup, "openai-java-sse", "com.openai.core.http.SseMessage", "getData",
                StreamWireMessages::onMessage);
        // A request's JSON body as the SDK serialised it to send (its HTTP client reads body()).
        WireAccessInstrumentation.install(setup, "openai-java-request", "com.openai.core.http.HttpRequest", "body",
                SentRequests::onRequest);
    }

    @Override
    public void install(ProviderSetup setup) {
        // Azure OpenAI resources serve the Realtime API under their own subdomains.
        setup.socket(setup.hosts("api.openai.com,*.openai.azure.com"), new OpenAiRealtimeProtocol());
    }

    @Override
    public Map<String, ToolCallReader> toolCallReaders() {
        return Collections.singletonMap(OpenAiOperations.PROVIDER, OpenAiToolCalls.INSTANCE);
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("api.openai.com", "*.openai.com", "*.openai.azure.com");
    }
}
