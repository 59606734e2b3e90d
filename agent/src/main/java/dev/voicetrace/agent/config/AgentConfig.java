package dev.voicetrace.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every setting of the agent, read once at start-up. The README's option table lists the same
 * names and defaults; keep the two in step.
 */
public final class AgentConfig {

    public enum LangfuseApi { OTEL, INGESTION }

    public enum ExporterKind { AUTO, LANGFUSE, FILE, NONE }

    public static final String DEFAULT_LANGFUSE_HOST = "https://cloud.langfuse.com";

    public final boolean enabled;
    public final String logLevel;
    public final String langfusePublicKey;
    public final String langfuseSecretKey;
    public final String langfuseHost;
    public final LangfuseApi langfuseApi;
    public final ExporterKind exporter;
    public final String filePath;
    public final boolean consoleSummary;
    /**
     * {@code voicetrace.report.path}: with the file exporter, the HTML report written at JVM exit;
     * null for the default ({@code voicetrace-report.html} beside the events file), {@code none} for none.
     */
    public final String reportPath;
    public final String serviceName;
    public final String environment;
    public final String release;
    public final String sessionId;
    public final String sessionMdcKey;
    public final int captureQueueSize;
    public final int exportQueueSize;
    public final int batchMaxItems;
    public final int batchMaxBytes;
    public final Duration batchDelay;
    public final Duration requestTimeout;
    public final int maxAttempts;
    public final boolean gzip;
    public final Duration shutdownTimeout;
    public final Duration turnIdleTimeout;
    public final String pricesFile;
    public final String spoolDir;
    public final int linkMaxSessions;
    public final int linkMaxTexts;
    public final long spoolMaxBytes;
    public final Duration circuitMaxCooldown;
    public final boolean contextPropagation;
    /**
     * {@code voicetrace.class.gate}: after start-up, the JVM's class-file hook is on only while a
     * class the agent changes is defined (default); {@code false} keeps it on for every class.
     */
    public final boolean classGate;
    /**
     * {@code voicetrace.nested.calls}: {@code outermost} (default) records a framework call
     * (LangChain4j, Spring AI) once and not the SDK call it makes on the same thread; {@code all}
     * records the SDK call too, marked {@code nested_in} and without cost.
     */
    public final boolean recordNestedCalls;
    /** What leaves the process: content capture, redaction, sampling, users, tags and call metadata. */
    public final PrivacyOptions privacy;
    /** The OTLP sink beside Langfuse: {@code voicetrace.otlp.endpoint}, {@code .headers}, {@code .protocol}. */
    public final dev.voicetrace.agent.otlp.OtlpOptions otlp;
    /** Trace context across services (W3C traceparent, tracestate, baggage). */
    public final PropagationOptions propagation;
    /**
     * The HTTP and WebSocket clients whose calls and sockets can be switched off one by one (the providers' own
     * switches are asked by the runtime, see {@link #instrumentationEnabled}); the README lists the names.
     */
    public static final List<String> CLIENT_INSTRUMENTATIONS = Collections.unmodifiableList(Arrays.asList("okhttp",
            "jdkhttp", "jakartawebsocket"));

    private final OptionReader options;

    public AgentConfig(ConfigSource source) {
        OptionReader options = new OptionReader(source);
        this.options = options;
        enabled = options.bool("voicetrace.enabled", true);
        logLevel = options.choice("voicetrace.log.level", "info", "debug", "info", "warn", "error", "off");
        langfusePublicKey = source.get("langfuse.public.key", "LANGFUSE_PUBLIC_KEY");
        langfuseSecretKey = source.get("langfuse.secret.key", "LANGFUSE_SECRET_KEY");
        langfuseHost = stripTrailingSlash(orDefault(
                source.get("langfuse.host", "LANGFUSE_HOST", "LANGFUSE_BASE_URL"), DEFAULT_LANGFUSE_HOST));
        langfuseApi = LangfuseApi.valueOf(options.choice("voicetrace.langfuse.api", "otel", "otel", "ingestion")
                .toUpperCase(Locale.ROOT));
        exporter = ExporterKind.valueOf(options.choice("voicetrace.exporter", "auto", "auto", "langfuse", "file",
                "none").toUpperCase(Locale.ROOT));
        filePath = options.text("voicetrace.file.path", "voicetrace-events.jsonl");
        reportPath = options.text("voicetrace.report.path", null);
        consoleSummary = options.bool("voicetrace.console.summary", exporter != ExporterKind.NONE);
        serviceName = dev.voicetrace.agent.otlp.ResourceAttributes.serviceName(source,
                options.text("voicetrace.service.name"));
        environment = source.get("voicetrace.environment", "VOICETRACE_ENVIRONMENT", "LANGFUSE_TRACING_ENVIRONMENT");
        release = source.get("voicetrace.release", "VOICETRACE_RELEASE", "LANGFUSE_RELEASE");
        sessionId = options.text("voicetrace.session.id");
        sessionMdcKey = options.text("voicetrace.session.mdc.key", "sessionId");
        captureQueueSize = options.integer("voicetrace.capture.queue.size", 4096, 1, 10_000_000);
        exportQueueSize = options.integer("voicetrace.export.queue.size", 8192, 1, 10_000_000);
        batchMaxItems = options.integer("voicetrace.batch.max.items", 200, 1, 100_000);
        batchMaxBytes = options.integer("voicetrace.batch.max.bytes", 1_000_000, 1_000, 100_000_000);
        batchDelay = Duration.ofMillis(options.integer("voicetrace.batch.delay.ms", 1000, 1, 3_600_000));
        requestTimeout = Duration.ofMillis(options.integer("voicetrace.export.timeout.ms", 10_000, 1, 3_600_000));
        maxAttempts = options.integer("voicetrace.export.max.attempts", 5, 1, 100);
        gzip = options.bool("voicetrace.export.gzip", true);
        shutdownTimeout = Duration.ofMillis(options.integer("voicetrace.shutdown.timeout.ms", 5000, 0, 3_600_000));
        // Below 100 ms every pause inside a turn would split it.
        turnIdleTimeout = Duration.ofMillis(options.integer("voicetrace.turn.idle.ms", 30_000, 100, 86_400_000));
        pricesFile = options.text("voicetrace.prices.file");
        spoolDir = options.text("voicetrace.spool.dir");
        linkMaxSessions = options.integer("voicetrace.link.max.sessions", 10_000, 1, 10_000_000);
        linkMaxTexts = options.integer("voicetrace.link.max.texts", 10_000, 1, 10_000_000);
        spoolMaxBytes = options.integer("voicetrace.spool.max.mb", 100, 1, 1_000_000) * 1024L * 1024L;
        circuitMaxCooldown = Duration.ofMillis(options.integer("voicetrace.export.circuit.max.ms", 30_000, 1,
                3_600_000));
        contextPropagation = options.bool("voicetrace.context.propagation", true);
        classGate = options.bool("voicetrace.class.gate", true);
        recordNestedCalls = "all".equals(options.choice("voicetrace.nested.calls", "outermost", "outermost", "all"));
        privacy = new PrivacyOptions(options);
        otlp = new dev.voicetrace.agent.otlp.OtlpOptions(source, options);
        propagation = new PropagationOptions(options);
        for (String name : CLIENT_INSTRUMENTATIONS) {
            instrumentationEnabled(name);
        }
    }

    /** Lines to log at start: values not understood, and unknown {@code voicetrace.*} names. */
    public List<String> warnings() {
        List<String> lines = new ArrayList<>(options.warnings());
        lines.addAll(options.unknownOptions());
        return lines;
    }

    /** Whether {@code voicetrace.instrumentation.<name>.enabled} leaves that library instrumented. */
    public boolean instrumentationEnabled(String name) {
        return options.bool("voicetrace.instrumentation." + name + ".enabled", true);
    }

    /**
     * A provider's hosts: {@code voicetrace.<provider>.hosts} when set (comma-separated
     * {@code host}, {@code host:port} or {@code *.domain}; {@code none} for none), else {@code defaults}.
     */
    public String providerHosts(String provider, String defaults) {
        return options.text("voicetrace." + provider + ".hosts", defaults);
    }

    public boolean hasLangfuseKeys() {
        return langfusePublicKey != null && langfuseSecretKey != null;
    }

    /** Which exporter actually runs: AUTO picks Langfuse when keys are set, else the local file. */
    public ExporterKind effectiveExporter() {
        if (exporter != ExporterKind.AUTO) {
            return exporter;
        }
        return hasLangfuseKeys() ? ExporterKind.LANGFUSE : ExporterKind.FILE;
    }

    /** A description safe to log: it never contains the secret key. */
    public String describe() {
        switch (effectiveExporter()) {
            case LANGFUSE:
                return "Langfuse " + langfuseApi.name().toLowerCase(Locale.ROOT) + " API at " + langfuseHost
                        + " (public key " + langfusePublicKey + ")";
            case FILE:
                return "local file " + filePath;
            default:
                return "no exporter";
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String stripTrailingSlash(String url) {
        String result = url;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
