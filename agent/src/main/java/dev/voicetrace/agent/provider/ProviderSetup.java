package dev.voicetrace.agent.provider;

import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.agent.realtime.SocketProtocol;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Provider} declares at start: the REST APIs and real-time sockets it recognises on
 * its hosts. The runtime reads the declarations of every provider and installs the HTTP and
 * WebSocket clients' instrumentation once.
 */
public final class ProviderSetup {

    /** A REST API on a host list. */
    public static final class HostedApi {
        public final String hosts;
        public final HttpApi api;

        HostedApi(String hosts, HttpApi api) {
            this.hosts = hosts;
            this.api = api;
        }
    }

    /** A socket protocol on a host list. */
    public static final class HostedSocket {
        public final String hosts;
        public final SocketProtocol protocol;

        HostedSocket(String hosts, SocketProtocol protocol) {
            this.hosts = hosts;
            this.protocol = protocol;
        }
    }

    private final String providerId;
    private final AgentConfig config;
    private final List<HostedApi> httpApis = new ArrayList<>();
    private final List<HostedSocket> sockets = new ArrayList<>();

    public ProviderSetup(String providerId, AgentConfig config) {
        this.providerId = providerId;
        this.config = config;
    }

    /**
     * The hosts of this provider's APIs: {@code voicetrace.<id>.hosts} when set (comma-separated
     * {@code host}, {@code host:port} or {@code *.domain}; {@code none} for none), else {@code defaults}.
     */
    public String hosts(String defaults) {
        return config.providerHosts(providerId, defaults);
    }

    /** A REST API recognised in the HTTP clients' calls to {@code hosts}. */
    public void httpApi(String hostList, HttpApi api) {
        httpApis.add(new HostedApi(hostList, api));
    }

    /** A real-time protocol recognised in the WebSocket clients' sockets to {@code hosts}. */
    public void socket(String hostList, SocketProtocol protocol) {
        sockets.add(new HostedSocket(hostList, protocol));
    }

    public List<HostedApi> httpApis() {
        return httpApis;
    }

    public List<HostedSocket> sockets() {
        return sockets;
    }
}
