package dev.voicetrace.agent.deepgram;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import java.util.Arrays;
import java.util.List;

/** Deepgram: REST transcription and speech through any HTTP client, and its live sockets. */
public final class DeepgramProvider implements Provider {

    @Override
    public String id() {
        return "deepgram";
    }

    @Override
    public void install(ProviderSetup setup) {
        String hosts = setup.hosts("api.deepgram.com");
        setup.httpApi(hosts, new DeepgramApi());
        setup.socket(hosts, new DeepgramListenProtocol());
        setup.socket(hosts, new DeepgramSpeakProtocol());
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("api.deepgram.com", "*.deepgram.com");
    }
}
