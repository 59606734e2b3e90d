package dev.voicetrace.agent.realtime;

import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.EpochClock;
import dev.voicetrace.agent.pipeline.RecordWork;
import dev.voicetrace.bootstrap.TurnIdentity;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What every client instrumentation shares: the vendor endpoints, where socket events go (the
 * processing thread's queue), how a socket's session is chosen, and the sockets still open (so
 * that their observations end when the agent stops).
 */
public final class SocketRuntime {

    /** Query parameters that carry credentials: never recorded. */
    private static final Set<String> SECRET_PARAMETERS = Set.of("token", "api_key", "api-key", "apikey", "key",
            "access_token", "authorization", "xi-api-key", "xi_api_key", "auth", "sig", "signature");

    private final SocketEndpoints endpoints;
    private final Predicate<RecordWork> queue;
    private final boolean generateSessions;
    private final Set<ObservedSocket> open = ConcurrentHashMap.newKeySet();
    private volatile Function<Object, TurnIdentity> turnIdentities = source -> null;

    /**
     * @param queue offers work to the processing thread; false when it is full
     * @param generateSessions whether a socket without a session from the application gets one of
     *     its own (false when a session id is configured)
     */
    public SocketRuntime(SocketEndpoints endpoints, Predicate<RecordWork> queue, boolean generateSessions) {
        this.endpoints = endpoints;
        this.queue = queue;
        this.generateSessions = generateSessions;
    }

    public SocketEndpoints endpoints() {
        return endpoints;
    }

    /**
     * How the ids of a turn an utterance opens are fixed (when trace context crosses services):
     * given the socket's client object, the ids, or null when they are not fixed at the start.
     */
    public void identifyTurns(Function<Object, TurnIdentity> identities) {
        this.turnIdentities = identities;
    }

    /** The ids of a turn an utterance of a socket of {@code client} opens now; null when not fixed. */
    TurnIdentity newTurn(Object client) {
        try {
            return turnIdentities.apply(client);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * A recognised socket is being opened on the application's thread.
     *
     * @param contextSession the session id of the opening thread's context or MDC, or null
     */
    public ObservedSocket open(SocketProtocol protocol, String client, String host, String path, String rawQuery,
                               String contextSession) {
        String session = contextSession != null ? contextSession
                : generateSessions ? CallTracker.generatedSessionId() : null;
        SocketInfo info = new SocketInfo(client, host == null ? null : host.toLowerCase(Locale.ROOT), path,
                publicQuery(rawQuery), session, EpochClock.now());
        ObservedSocket socket = new ObservedSocket(protocol, info, this);
        open.add(socket);
        return socket;
    }

    void offer(SocketEvent event) {
        queue.test(event);
    }

    void ended(ObservedSocket socket) {
        open.remove(socket);
    }

    /** Ends the observations of every socket still open (at agent shutdown, before the last turns close). */
    public void stopAll() {
        for (ObservedSocket socket : open.toArray(new ObservedSocket[0])) {
            socket.onAgentStopping();
        }
    }

    int openCount() {
        return open.size();
    }

    /** The query's parameters, decoded, without credentials. */
    static Map<String, String> publicQuery(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            values.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, "UTF-8");
        } catch (UnsupportedEncodingException | IllegalArgumentException e) {
            return text;
        }
    }
}
