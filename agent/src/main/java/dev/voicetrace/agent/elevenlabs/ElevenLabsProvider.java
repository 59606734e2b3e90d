package dev.voicetrace.agent.elevenlabs;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderSetup;
import java.util.Arrays;
import java.util.List;

/** ElevenLabs: REST text-to-speech through any HTTP client, and its stream-input socket. */
public final class ElevenLabsProvider implements Provider {

    @Override
    public String id() {
        return "elevenlabs";
    }

    @Override
    public void install(ProviderSetup setup) {
        String hosts = setup.hosts("api.elevenlabs.io");
        setup.httpApi(hosts, new ElevenLabsApi());
        setup.socket(hosts, new ElevenLabsStreamInputProtocol());
        setup.socket(hosts, new ElevenLabsMultiStreamInputProtocol());
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("api.elevenlabs.io", "*.elevenlabs.io");
    }
}
