package dev.voicetrace.agent.realtime;

import java.util.Collections;
import java.util.Map;

/** What is known of a recognised socket when it opens. Immutable; secrets never enter it. */
public final class SocketInfo {

    /** The WebSocket client library, e.g. {@code java.net.http} or {@code okhttp}. */
    public final String client;
    public final String host;
    /** The request path, e.g. {@code /v1/realtime}. */
    public final String path;
    /** Query parameters, decoded, credentials ({@code token}, {@code api_key}, ...) left out. */
    public final Map<String, String> query;
    /**
     * The session the socket's records belong to: the application's (context or MDC) when it set
     * one, else one generated for the socket; null when neither (the configured default applies).
     */
    public final String sessionId;
    public final long openedEpochNanos;

    public SocketInfo(String client, String host, String path, Map<String, String> query, String sessionId,
                      long openedEpochNanos) {
        this.client = client;
        this.host = host;
        this.path = path;
        this.query = Collections.unmodifiableMap(query);
        this.sessionId = sessionId;
        this.openedEpochNanos = openedEpochNanos;
    }
}
