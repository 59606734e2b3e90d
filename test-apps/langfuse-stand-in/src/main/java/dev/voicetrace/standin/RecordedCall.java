package dev.voicetrace.standin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** One request the stand-in received, with its body already gunzipped. Immutable. */
public final class RecordedCall {
    private final int sequence;
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, String> headers;
    private final byte[] body;
    private final long wireBodySize;
    private final Instant receivedAt;

    RecordedCall(int sequence, String method, String path, String query, Map<String, String> headers,
                 byte[] body, long wireBodySize, Instant receivedAt) {
        this.sequence = sequence;
        this.method = method;
        this.path = path;
        this.query = query;
        TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.putAll(headers);
        this.headers = Collections.unmodifiableMap(caseInsensitive);
        this.body = body.clone();
        this.wireBodySize = wireBodySize;
        this.receivedAt = receivedAt;
    }

    /** 0 for the first request this stand-in received, then 1, 2, ... */
    public int sequence() {
        return sequence;
    }

    public String method() {
        return method;
    }

    /** The path without query string, e.g. {@code /api/public/otel/v1/traces}. */
    public String path() {
        return path;
    }

    /** The raw query string, or null. */
    public String query() {
        return query;
    }

    /** Headers with case-insensitive keys; repeated headers are joined with {@code ", "}. */
    public Map<String, String> headers() {
        return headers;
    }

    /** A header's value (case-insensitive name), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The body after undoing {@code Content-Encoding: gzip}. */
    public byte[] body() {
        return body.clone();
    }

    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Size of the body as sent on the wire (compressed size for gzip). */
    public long wireBodySize() {
        return wireBodySize;
    }

    public boolean gzipped() {
        String encoding = header("Content-Encoding");
        return encoding != null && encoding.toLowerCase().contains("gzip");
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public boolean isPost(String expectedPath) {
        return "POST".equals(method) && expectedPath.equals(path);
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + method + " " + path + (query == null ? "" : "?" + query)
                + " (" + body.length + " bytes" + (gzipped() ? ", gzip" : "") + ")";
    }
}
