package dev.voicetrace.agent.config;

import java.time.Duration;
import java.util.Locale;

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
     * {@code voicetrace.nested.calls}: {@code outermost} (default) records a framework call
     * (LangChain4j, Spring AI) once and not the SDK call it makes on the same thread; {@code all}
     * records the SDK call too, marked {@code nested_in} and without cost.
     */
    public final boolean recordNestedCalls;
    /**
     * Hosts whose WebSockets are OpenAI's Realtime API ({@code host}, {@code host:port} or
     * {@code *.domain}); its paths are {@code /v1/realtime} and Azure's {@code /openai/realtime}.
     */
    public final String openaiHosts;
    /** Hosts ({@code host} or {@code host:port}, comma-separated) whose HTTP calls are Deepgram's API. */
    public final String deepgramHosts;
    /** Hosts whose HTTP calls are ElevenLabs' API. */
    public final String elevenlabsHosts;
    /** Hosts whose HTTP calls are AssemblyAI's API. */
    public final String assemblyaiHosts;

    public AgentConfig(ConfigSource source) {
        enabled = bool(source.option("voicetrace.enabled"), true);
        logLevel = orDefault(source.option("voicetrace.log.level"), "info");
        langfusePublicKey = source.get("langfuse.public.key", "LANGFUSE_PUBLIC_KEY");
        langfuseSecretKey = source.get("langfuse.secret.key", "LANGFUSE_SECRET_KEY");
        langfuseHost = stripTrailingSlash(orDefault(
                source.get("langfuse.host", "LANGFUSE_HOST", "LANGFUSE_BASE_URL"), DEFAULT_LANGFUSE_HOST));
        langfuseApi = "ingestion".equalsIgnoreCase(source.option("voicetrace.langfuse.api"))
                ? LangfuseApi.INGESTION : LangfuseApi.OTEL;
        exporter = exporterKind(source.option("voicetrace.exporter"));
        filePath = orDefault(source.option("voicetrace.file.path"), "voicetrace-events.jsonl");
        consoleSummary = bool(source.option("voicetrace.console.summary"), exporter != ExporterKind.NONE);
        serviceName = orDefault(source.option("voicetrace.service.name"), "voicetrace-app");
        environment = source.get("voicetrace.environment", "VOICETRACE_ENVIRONMENT", "LANGFUSE_TRACING_ENVIRONMENT");
        release = source.get("voicetrace.release", "VOICETRACE_RELEASE", "LANGFUSE_RELEASE");
        sessionId = source.option("voicetrace.session.id");
        sessionMdcKey = orDefault(source.option("voicetrace.session.mdc.key"), "sessionId");
        captureQueueSize = integer(source.option("voicetrace.capture.queue.size"), 4096);
        exportQueueSize = integer(source.option("voicetrace.export.queue.size"), 8192);
        batchMaxItems = integer(source.option("voicetrace.batch.max.items"), 200);
        batchMaxBytes = integer(source.option("voicetrace.batch.max.bytes"), 1_000_000);
        batchDelay = Duration.ofMillis(integer(source.option("voicetrace.batch.delay.ms"), 1000));
        requestTimeout = Duration.ofMillis(integer(source.option("voicetrace.export.timeout.ms"), 10_000));
        maxAttempts = Math.max(1, integer(source.option("voicetrace.export.max.attempts"), 5));
        gzip = bool(source.option("voicetrace.export.gzip"), true);
        shutdownTimeout = Duration.ofMillis(integer(source.option("voicetrace.shutdown.timeout.ms"), 5000));
        turnIdleTimeout = Duration.ofMillis(integer(source.option("voicetrace.turn.idle.ms"), 30_000));
        pricesFile = source.option("voicetrace.prices.file");
        spoolDir = source.option("voicetrace.spool.dir");
        linkMaxSessions = integer(source.option("voicetrace.link.max.sessions"), 10_000);
        linkMaxTexts = integer(source.option("voicetrace.link.max.texts"), 10_000);
        spoolMaxBytes = integer(source.option("voicetrace.spool.max.mb"), 100) * 1024L * 1024L;
        circuitMaxCooldown = Duration.ofMillis(integer(source.option("voicetrace.export.circuit.max.ms"), 30_000));
        contextPropagation = bool(source.option("voicetrace.context.propagation"), true);
        recordNestedCalls = "all".equalsIgnoreCase(source.option("voicetrace.nested.calls"));
        openaiHosts = orDefault(source.option("voicetrace.openai.hosts"), "api.openai.com,*.openai.azure.com");
        deepgramHosts = orDefault(source.option("voicetrace.deepgram.hosts"), "api.deepgram.com");
        elevenlabsHosts = orDefault(source.option("voicetrace.elevenlabs.hosts"), "api.elevenlabs.io");
        assemblyaiHosts = orDefault(source.option("voicetrace.assemblyai.hosts"),
                "api.assemblyai.com,streaming.assemblyai.com,streaming.eu.assemblyai.com");
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

    private static ExporterKind exporterKind(String value) {
        if (value == null) {
            return ExporterKind.AUTO;
        }
        try {
            return ExporterKind.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return ExporterKind.AUTO;
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static boolean bool(String value, boolean fallback) {
        return value == null ? fallback : Boolean.parseBoolean(value);
    }

    private static int integer(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String stripTrailingSlash(String url) {
        String result = url;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
