package dev.voicetrace.agent.http;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * What an HTTP client call's response delivered, whatever the client library: status, headers,
 * a copy of a JSON body (bounded) and the size of any other body. Written by the client's
 * threads as the response arrives (one writer at a time, as a body subscriber is), read on the
 * agent's processing thread after the call completed.
 */
public final class HttpExchange {

    /** JSON bodies larger than this are counted, not copied (and not read). */
    public static final int MAX_JSON_BYTES = 4 * 1024 * 1024;

    private final String client;
    private volatile int statusCode = -1;
    private volatile Map<String, List<String>> headers;
    private volatile boolean copyBody;
    private volatile boolean jsonTruncated;
    private final ByteArrayOutputStream json = new ByteArrayOutputStream();
    private volatile long bodyBytes;

    public HttpExchange() {
        this(JdkHttpClientCalls.CLIENT);
    }

    /** @param client which HTTP client made the call, e.g. {@code java.net.http} */
    public HttpExchange(String client) {
        this.client = client;
    }

    public String client() {
        return client;
    }

    /** The status line and headers arrived; a JSON (or error) body is copied from now on. */
    public void onHeaders(int status, Map<String, List<String>> responseHeaders) {
        statusCode = status;
        headers = responseHeaders;
        String type = header("content-type");
        copyBody = status >= 400 || (type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json"));
    }

    /** Whether the body is copied (JSON or an error), rather than only counted (audio). */
    public boolean copiesBody() {
        return copyBody;
    }

    /** Copies body bytes of a JSON body, up to {@link #MAX_JSON_BYTES}. */
    public void onJsonBytes(byte[] bytes, int offset, int length) {
        bodyBytes += length;
        synchronized (json) {
            if (json.size() + length > MAX_JSON_BYTES) {
                jsonTruncated = true;
                return;
            }
            json.write(bytes, offset, length);
        }
    }

    public void onOtherBytes(long count) {
        bodyBytes += count;
    }

    public int statusCode() {
        return statusCode;
    }

    /** The first value of a response header (case-insensitive name), or null. */
    public String header(String name) {
        Map<String, List<String>> all = headers;
        if (all == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> entry : all.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    /** The copied JSON body, or null when there was none or it was too large. */
    public byte[] jsonBody() {
        synchronized (json) {
            return jsonTruncated || json.size() == 0 ? null : json.toByteArray();
        }
    }

    public boolean jsonTruncated() {
        return jsonTruncated;
    }

    /** Bytes of the response body delivered so far. */
    public long bodyBytes() {
        return bodyBytes;
    }
}
