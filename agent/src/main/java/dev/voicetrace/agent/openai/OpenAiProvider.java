package dev.voicetrace.agent.openai;

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
    public void install(ProviderSetup setup) {
        OpenAiOperations.register(setup.operations());
        setup.instrument(new OpenAiInstrumentation());
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
