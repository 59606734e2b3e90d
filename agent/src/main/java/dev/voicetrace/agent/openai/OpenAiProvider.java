package dev.voicetrace.agent.openai;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import dev.voicetrace.agent.tools.ToolCallReader;
import dev.voicetrace.agent.instrument.SseMessageInstrumentation;
import java.util.Collections;
import java.util.Map;

/** openai-java (chat, Responses, audio) and the Realtime API's WebSockets. */
public final class OpenAiProvider implements Provider {

    @Override
    public String id() {
        return "openai";
    }

    @Override
    public void install(ProviderSetup setup) {
        OpenAiOperations.register(setup.operations());
        setup.instrument(new OpenAiInstrumentation());
        // Streamed items are read from the SSE text the SDK received, not serialised again.
        SseMessageInstrumentation sse = new SseMessageInstrumentation("openai-java-sse", "com.openai", "getData");
        sse.register(setup.operations());
        setup.instrument(sse);
        // Azure OpenAI resources serve the Realtime API under their own subdomains.
        setup.socket(setup.hosts("api.openai.com,*.openai.azure.com"), new OpenAiRealtimeProtocol());
    }

    @Override
    public Map<String, ToolCallReader> toolCallReaders() {
        return Collections.singletonMap(OpenAiOperations.PROVIDER, OpenAiToolCalls.INSTANCE);
    }
}
