package dev.voicetrace.agent.otlp;

import dev.voicetrace.agent.config.ConfigSource;
import dev.voicetrace.agent.link.IdGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the OTLP resource says about the process that sent the spans, in OpenTelemetry's resource
 * conventions: the service ({@code service.name}, {@code service.instance.id}), the host, the
 * process and its Java runtime, and the agent that made the spans ({@code telemetry.sdk.*},
 * {@code telemetry.distro.*}). {@code OTEL_RESOURCE_ATTRIBUTES} adds to them and wins over what is
 * detected, except for the service name (see {@link #serviceName}) and the agent's own identity.
 *
 * <p>Nothing here waits on the network: the host name comes from {@code HOSTNAME} /
 * {@code COMPUTERNAME} or {@code /etc/hostname}, never from a DNS lookup, as this runs in premain.
 */
public final class ResourceAttributes {

    public static final String DEFAULT_SERVICE_NAME = "voicetrace-app";
    /** One per JVM: two processes of one service are told apart by it. */
    private static final String INSTANCE_ID = IdGenerator.randomUuid().toString();

    private ResourceAttributes() {}

    /**
     * The service's name: {@code voicetrace.service.name} when set (the agent's own option is the
     * most specific), else OpenTelemetry's {@code otel.service.name} / {@code OTEL_SERVICE_NAME},
     * else {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES}, else {@value #DEFAULT_SERVICE_NAME}.
     * So a JVM that also runs the OpenTelemetry agent names its service once for both.
     */
    public static String serviceName(ConfigSource source, String configured) {
        if (configured != null) {
            return configured;
        }
        String otel = source.get("otel.service.name", "OTEL_SERVICE_NAME");
        if (otel != null) {
            return otel;
        }
        String fromResource = fromOtelResource(source).get("service.name");
        return fromResource != null && !fromResource.isEmpty() ? fromResource : DEFAULT_SERVICE_NAME;
    }

    /** This process's resource attributes, in the order they are sent. */
    public static Map<String, Object> detect(ConfigSource source, String serviceName, String environment,
                                             String agentVersion) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("service.name", serviceName);
        attributes.put("service.instance.id", INSTANCE_ID);
        putIfPresent(attributes, "host.name", hostName(source));
        putIfPresent(attributes, "os.type", osType());
        attributes.put("process.pid", pid());
        putIfPresent(attributes, "process.runtime.name", System.getProperty("java.runtime.name"));
        putIfPresent(attributes, "process.runtime.version", System.getProperty("java.runtime.version"));
        putIfPresent(attributes, "process.runtime.description", System.getProperty("java.vm.vendor") + " "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        if (environment != null) {
            attributes.put("deployment.environment.name", environment);
            // The older name, which Langfuse reads as the environment.
            attributes.put("deployment.environment", environment);
        }
        for (Map.Entry<String, String> configured : fromOtelResource(source).entrySet()) {
            String key = configured.getKey();
            if (!key.equals("service.name") && !key.startsWith("telemetry.")) {
                attributes.put(key, configured.getValue());
            }
        }
        attributes.put("telemetry.sdk.name", "voicetrace");
        attributes.put("telemetry.sdk.language", "java");
        attributes.put("telemetry.sdk.version", agentVersion);
        attributes.put("telemetry.distro.name", "voicetrace");
        attributes.put("telemetry.distro.version", agentVersion);
        return Collections.unmodifiableMap(attributes);
    }

    /** {@code OTEL_RESOURCE_ATTRIBUTES} (or {@code -Dotel.resource.attributes}): {@code key=value,...}, percent-encoded. */
    static Map<String, String> fromOtelResource(ConfigSource source) {
        String text = source.get("otel.resource.attributes", "OTEL_RESOURCE_ATTRIBUTES");
        Map<String, String> attributes = new LinkedHashMap<>();
        if (text == null) {
            return attributes;
        }
        for (String entry : text.split(",")) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = entry.substring(0, equals).trim();
            String value = decode(entry.substring(equals + 1).trim());
            if (!key.isEmpty() && value != null) {
                attributes.put(key, value);
            }
        }
        return attributes;
    }

    /**
     * This process's id. Read from {@code /proc/self} where there is one: the first use of
     * {@code ProcessHandle} in a JVM initialises its machinery, some 10 ms of the application's
     * thread in {@code premain}, where the resource is built.
     */
    static long pid() {
        Path self = Paths.get("/proc/self");
        try {
            if (Files.isSymbolicLink(self)) {
                return Long.parseLong(Files.readSymbolicLink(self).toString());
            }
        } catch (IOException | RuntimeException e) {
            // not Linux's procfs after all
        }
        return ProcessHandle.current().pid();
    }

    private static String hostName(ConfigSource source) {
        String fromEnvironment = source.get("host.name", "HOSTNAME", "COMPUTERNAME");
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        Path file = Paths.get("/etc/hostname");
        try {
            if (Files.isRegularFile(file)) {
                String name = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                return name.isEmpty() ? null : name;
            }
        } catch (IOException | SecurityException e) {
            // No host name then: the rest of the resource still tells the processes apart.
        }
        return null;
    }

    private static String osType() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.contains("linux")) {
            return "linux";
        }
        if (name.contains("windows")) {
            return "windows";
        }
        if (name.contains("mac") || name.contains("darwin")) {
            return "darwin";
        }
        return name.isEmpty() ? null : name.replace(' ', '_');
    }

    private static void putIfPresent(Map<String, Object> attributes, String key, String value) {
        if (value != null && !value.trim().isEmpty() && !value.contains("null null")) {
            attributes.put(key, value);
        }
    }

    private static String decode(String value) {
        try {
            return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
