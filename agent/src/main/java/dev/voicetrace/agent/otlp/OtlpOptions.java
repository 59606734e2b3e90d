package dev.voicetrace.agent.otlp;

import dev.voicetrace.agent.config.ConfigSource;
import dev.voicetrace.agent.config.OptionReader;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the OTLP sink sends spans: {@code voicetrace.otlp.endpoint}, {@code .headers} and
 * {@code .protocol}. The sink is off unless an endpoint is given.
 *
 * <p>The OpenTelemetry SDK's variables ({@code OTEL_EXPORTER_OTLP_*}) configure the OpenTelemetry
 * agent or SDK that may run in the same process, so they are read only when asked for with
 * {@code voicetrace.otlp.endpoint=otel}, and then all together: endpoint, headers and protocol come
 * from the same place, so one backend's credentials never go to another backend's endpoint.
 * Header values are secrets: they are never logged; {@link #describe()} names only the headers.
 */
public final class OtlpOptions {

    public enum Protocol {
        HTTP_PROTOBUF("http/protobuf", "application/x-protobuf"),
        HTTP_JSON("http/json", "application/json");

        public final String label;
        public final String contentType;

        Protocol(String label, String contentType) {
            this.label = label;
            this.contentType = contentType;
        }
    }

    /** The value of {@code voicetrace.otlp.endpoint} that takes the settings from {@code OTEL_EXPORTER_OTLP_*}. */
    public static final String FROM_OTEL_ENVIRONMENT = "otel";
    static final String TRACES_PATH = "/v1/traces";

    /** The full URL spans are posted to, or null when the sink is off. */
    public final URI tracesUrl;
    public final Map<String, String> headers;
    public final Protocol protocol;

    public OtlpOptions(ConfigSource source, OptionReader options) {
        String endpoint = options.text("voicetrace.otlp.endpoint");
        String headerText = options.text("voicetrace.otlp.headers");
        String headerOrigin = "voicetrace.otlp.headers";
        String protocolText = options.text("voicetrace.otlp.protocol");
        String protocolOrigin = "voicetrace.otlp.protocol";
        String tracesEndpoint = null;
        if (FROM_OTEL_ENVIRONMENT.equalsIgnoreCase(endpoint)) {
            tracesEndpoint = otelSetting(source, "traces.endpoint", null);
            endpoint = tracesEndpoint != null ? null : otelSetting(source, "endpoint", null);
            if (headerText == null) {
                headerText = otelSetting(source, "traces.headers", "headers");
                headerOrigin = "OTEL_EXPORTER_OTLP_HEADERS";
            }
            if (protocolText == null) {
                protocolText = otelSetting(source, "traces.protocol", "protocol");
                protocolOrigin = "OTEL_EXPORTER_OTLP_PROTOCOL";
            }
            if (tracesEndpoint == null && endpoint == null) {
                options.problem("voicetrace.otlp.endpoint=otel, but neither OTEL_EXPORTER_OTLP_TRACES_ENDPOINT nor"
                        + " OTEL_EXPORTER_OTLP_ENDPOINT is set; spans are not sent over OTLP");
            }
        }
        this.tracesUrl = tracesEndpoint != null ? url(tracesEndpoint, false, options)
                : endpoint != null ? url(endpoint, true, options) : null;
        this.headers = parseHeaders(headerText, headerOrigin, options);
        this.protocol = protocol(protocolText, protocolOrigin, options);
    }

    /**
     * An {@code otel.exporter.otlp.*} setting as the OpenTelemetry SDK reads it (system property,
     * then environment variable), the traces-specific one first, then the general one if given.
     */
    private static String otelSetting(ConfigSource source, String specific, String general) {
        for (String name : general == null ? new String[] {specific} : new String[] {specific, general}) {
            String property = "otel.exporter.otlp." + name;
            String value = source.get(property, property.toUpperCase(Locale.ROOT).replace('.', '_'));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    public boolean enabled() {
        return tracesUrl != null;
    }

    /** Safe to log: the URL, the protocol and the header names, never their values. */
    public String describe() {
        return "OTLP " + protocol.label + " at " + tracesUrl
                + (headers.isEmpty() ? "" : " (headers " + String.join(", ", headers.keySet()) + ")");
    }

    /**
     * A base endpoint gets {@code /v1/traces} appended, as OpenTelemetry's
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT} does, unless it already ends so; a traces endpoint is
     * used as it is.
     */
    static URI url(String endpoint, boolean base, OptionReader options) {
        String text = endpoint.trim();
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            options.problem("the OTLP endpoint is not a URL (" + e.getMessage() + "); spans are not sent over OTLP");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            options.problem("the OTLP endpoint must be an http:// or https:// URL with a host, e.g."
                    + " http://localhost:4318; spans are not sent over OTLP");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            // It would be logged with the URL: credentials belong in the headers, which never are.
            options.problem("the OTLP endpoint must not hold credentials (user:password@); give them as a header in"
                    + " voicetrace.otlp.headers; spans are not sent over OTLP");
            return null;
        }
        if (base) {
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            if (!text.endsWith(TRACES_PATH)) {
                text += TRACES_PATH;
            }
            uri = URI.create(text);
        }
        return uri;
    }

    /**
     * {@code key=value,key2=value2} as OpenTelemetry writes headers: values may be
     * percent-encoded. A malformed entry is reported by position only, as it may hold a secret.
     */
    static Map<String, String> parseHeaders(String text, String origin, OptionReader options) {
        if (text == null) {
            return Collections.emptyMap();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String[] entries = text.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String name = equals > 0 ? entry.substring(0, equals).trim() : "";
            String value = equals > 0 ? percentDecoded(entry.substring(equals + 1).trim()) : null;
            if (name.isEmpty() || value == null || !isToken(name) || !isHeaderValue(value)) {
                options.problem("entry " + (i + 1) + " of " + origin + " is not a header (key=value, the value"
                        + " percent-encoded where needed); it is left out");
                continue;
            }
            headers.put(name, value);
        }
        return Collections.unmodifiableMap(headers);
    }

    private static Protocol protocol(String text, String origin, OptionReader options) {
        if (text == null) {
            return Protocol.HTTP_PROTOBUF;
        }
        for (Protocol protocol : Protocol.values()) {
            if (protocol.label.equalsIgnoreCase(text.trim())) {
                return protocol;
            }
        }
        options.problem("option " + origin + "=" + text + " is not understood: accepted is http/protobuf or"
                + " http/json (gRPC is not supported); using http/protobuf");
        return Protocol.HTTP_PROTOBUF;
    }

    private static String percentDecoded(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        int i = 0;
        while (i < value.length()) {
            int percent = value.indexOf('%', i);
            int plainEnd = percent < 0 ? value.length() : percent;
            byte[] plain = value.substring(i, plainEnd).getBytes(StandardCharsets.UTF_8);
            out.write(plain, 0, plain.length);
            i = plainEnd;
            if (percent >= 0) {
                boolean escaped = percent + 2 < value.length()
                        && Character.digit(value.charAt(percent + 1), 16) >= 0
                        && Character.digit(value.charAt(percent + 2), 16) >= 0;
                out.write(escaped ? Integer.parseInt(value.substring(percent + 1, percent + 3), 16) : '%');
                i = percent + (escaped ? 3 : 1);
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }
}
