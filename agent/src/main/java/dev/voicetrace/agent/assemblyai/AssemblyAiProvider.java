package dev.voicetrace.agent.assemblyai;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import java.util.Arrays;
import java.util.List;

/** AssemblyAI: REST transcripts through any HTTP client, and its streaming socket. */
public final class AssemblyAiProvider implements Provider {

    @Override
    public String id() {
        return "assemblyai";
    }

    @Override
    public void install(ProviderSetup setup) {
        String hosts = setup.hosts("api.assemblyai.com,streaming.assemblyai.com,streaming.eu.assemblyai.com");
        setup.httpApi(hosts, new AssemblyAiApi());
        setup.socket(hosts, new AssemblyAiStreamingProtocol());
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("api.assemblyai.com", "*.assemblyai.com");
    }
}
