package dev.voicetrace.agent.provider;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.agent.http.HttpEndpoints;
import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.realtime.SocketEndpoints;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * What every provider switched on declared, gathered: the client libraries to instrument when
 * their first class loads, the REST APIs to recognise in each HTTP client and the socket protocols
 * to follow.
 */
public final class InstalledProviders {

    private final List<String> installed = new ArrayList<>();
    private final List<String> switchedOff = new ArrayList<>();
    private final List<ProviderLibrary> libraries = new ArrayList<>();
    private final List<ProviderSetup.HostedApi> httpApis = new ArrayList<>();
    private final SocketEndpoints sockets = new SocketEndpoints();
    private final List<String> socketHosts = new ArrayList<>();
    private final List<String> publicApiHosts = new ArrayList<>();

    /**
     * Lets each provider declare itself; a provider switched off with
     * {@code voicetrace.instrumentation.<id>.enabled=false} is not asked, and one that fails is left
     * out with {@code log} told why.
     */
    public static InstalledProviders install(List<Provider> providers, AgentConfig config, OperationRegistry registry,
                                             Consumer<String> log) {
        InstalledProviders result = new InstalledProviders();
        for (Provider provider : providers) {
            result.publicApiHosts.addAll(provider.publicApiHosts());
            if (!config.instrumentationEnabled(provider.id())) {
                result.switchedOff.add(provider.id());
                continue;
            }
            ProviderSetup setup = new ProviderSetup(provider.id(), config);
            String[] libraryPrefixes;
            try {
                provider.install(setup);
                libraryPrefixes = provider.libraryPrefixes();
            } catch (RuntimeException | LinkageError e) {
                log.accept("provider " + provider.id() + " is not traced: " + e);
                continue;
            }
            result.installed.add(provider.id());
            if (libraryPrefixes.length > 0) {
                result.libraries.add(new ProviderLibrary(provider, libraryPrefixes, registry, log));
            }
            result.httpApis.addAll(setup.httpApis());
            for (ProviderSetup.HostedSocket socket : setup.sockets()) {
                result.sockets.add(socket.hosts, socket.protocol);
                result.socketHosts.add(socket.hosts);
            }
        }
        return result;
    }

    /** The REST APIs' paths for one HTTP client, its operations observed by that client's {@code observer}. */
    public HttpEndpoints httpEndpoints(CallObserver observer) {
        HttpEndpoints endpoints = new HttpEndpoints();
        for (ProviderSetup.HostedApi api : httpApis) {
            endpoints.add(HttpEndpoints.hostList(api.hosts), api.api.rules(observer));
        }
        return endpoints;
    }

    /**
     * Every vendor host list: the providers' public APIs (of every provider, switched on or not) and
     * the hosts their REST APIs and sockets are recognised on.
     */
    public List<String> hostLists() {
        List<String> lists = new ArrayList<>(publicApiHosts);
        for (ProviderSetup.HostedApi api : httpApis) {
            lists.add(api.hosts);
        }
        lists.addAll(socketHosts);
        return lists;
    }

    public SocketEndpoints socketEndpoints() {
        return sockets;
    }

    /** The client libraries of the providers switched on, each to be installed when its first class loads. */
    public List<ProviderLibrary> libraries() {
        return Collections.unmodifiableList(libraries);
    }

    /** Every instrumentation of the providers switched on, each library installed now (an agent attached late). */
    public List<InstrumentationModule> modules() {
        List<InstrumentationModule> all = new ArrayList<>();
        for (ProviderLibrary library : libraries) {
            all.addAll(library.install());
        }
        return all;
    }

    public List<String> installed() {
        return Collections.unmodifiableList(installed);
    }

    public List<String> switchedOff() {
        return Collections.unmodifiableList(switchedOff);
    }
}
