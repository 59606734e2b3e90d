package dev.voicetrace.agent;

import dev.voicetrace.agent.model.Json;
import dev.voicetrace.agent.anthropic.AnthropicOperations;
import dev.voicetrace.agent.aws.PollyOperations;
import dev.voicetrace.agent.aws.TranscribeStreamingOperations;
import dev.voicetrace.agent.bedrock.BedrockOperations;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.EpochClock;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.agent.config.ConfigSource;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.export.BatchSender;
import dev.voicetrace.agent.export.BatchingExporter;
import dev.voicetrace.agent.export.ExportStats;
import dev.voicetrace.agent.export.ExporterMetrics;
import dev.voicetrace.agent.export.SpoolDirectory;
import dev.voicetrace.agent.export.JsonLinesFileSender;
import dev.voicetrace.agent.export.LangfuseHttpSender;
import dev.voicetrace.agent.export.WireFormat;
import dev.voicetrace.agent.genai.GeminiOperations;
import dev.voicetrace.agent.http.HttpEndpoints;
import dev.voicetrace.agent.http.JdkHttpClientCalls;
import dev.voicetrace.agent.http.OkHttpCalls;
import dev.voicetrace.agent.google.GoogleSpeechOperations;
import dev.voicetrace.agent.instrument.AnthropicInstrumentation;
import dev.voicetrace.agent.instrument.BedrockRuntimeInstrumentation;
import dev.voicetrace.agent.instrument.GaxBidiStreamingInstrumentation;
import dev.voicetrace.agent.instrument.GoogleGenAiInstrumentation;
import dev.voicetrace.agent.instrument.GoogleSpeechInstrumentation;
import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Instrumenter;
import dev.voicetrace.agent.instrument.LangChain4jInstrumentation;
import dev.voicetrace.agent.instrument.LangChain4jToolInstrumentation;
import dev.voicetrace.agent.instrument.JdkHttpClientInstrumentation;
import dev.voicetrace.agent.instrument.OkHttpInstrumentation;
import dev.voicetrace.agent.instrument.OpenAiInstrumentation;
import dev.voicetrace.agent.instrument.PollyInstrumentation;
import dev.voicetrace.agent.instrument.TranscribeStreamingInstrumentation;
import dev.voicetrace.agent.instrument.SpringAiInstrumentation;
import dev.voicetrace.agent.instrument.SpringAiToolInstrumentation;
import dev.voicetrace.agent.link.IdGenerator;
import dev.voicetrace.agent.langchain4j.LangChain4jOperations;
import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.openai.OpenAiOperations;
import dev.voicetrace.agent.pipeline.Pipeline;
import dev.voicetrace.agent.pipeline.SecretScrubber;
import dev.voicetrace.agent.pipeline.TurnSummaryPrinter;
import dev.voicetrace.agent.privacy.CallAttributes;
import dev.voicetrace.agent.privacy.ContentPolicy;
import dev.voicetrace.agent.privacy.ExportPolicy;
import dev.voicetrace.agent.privacy.Redactor;
import dev.voicetrace.agent.privacy.SessionAttributes;
import dev.voicetrace.agent.privacy.SessionSampler;
import dev.voicetrace.agent.project.IngestionProjector;
import dev.voicetrace.agent.project.ItemTruncator;
import dev.voicetrace.agent.project.OtlpProjector;
import dev.voicetrace.agent.project.ProjectionContext;
import dev.voicetrace.agent.project.Projector;
import dev.voicetrace.agent.report.ReportAtExit;
import dev.voicetrace.agent.context.ContextInstrumenter;
import dev.voicetrace.agent.springai.SpringAiOperations;
import dev.voicetrace.agent.realtime.RealtimeSockets;
import dev.voicetrace.agent.realtime.SocketRuntime;
import dev.voicetrace.bootstrap.ContextPropagation;
import dev.voicetrace.agent.speech.SpeechRestOperations;
import dev.voicetrace.bootstrap.VoicetraceHooks;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Builds the agent from its configuration: capture, processing, export, instrumentation. */
final class AgentRuntime {

    static final String VERSION = versionOf();

    private AgentRuntime() {}

    static void start(Instrumentation instrumentation, boolean lateAttach) {
        AgentConfig config = new AgentConfig(ConfigSource.fromSystem());
        AgentLog.setThreshold(logLevel(config.logLevel));
        Redactor redactor = Redactor.of(config.privacy.detectors, config.privacy.patterns);
        AgentLog.setFilter(line -> redactor.redact(SecretScrubber.scrub(line)));
        for (String warning : config.warnings()) {
            AgentLog.warn(warning);
        }
        if (!config.enabled) {
            AgentLog.info("disabled by voicetrace.enabled=false");
            return;
        }
        if (config.effectiveExporter() == AgentConfig.ExporterKind.NONE) {
            AgentLog.info("voicetrace.exporter=none: calls are not traced");
            return;
        }
        ExportStats stats = new ExportStats();
        ProjectionContext projection = new ProjectionContext(config.serviceName, config.environment, config.release,
                VERSION, IdGenerator.RANDOM, EpochClock::now, config.privacy.tags);
        boolean ingestion = config.effectiveExporter() == AgentConfig.ExporterKind.LANGFUSE
                && config.langfuseApi == AgentConfig.LangfuseApi.INGESTION;
        Projector projector;
        WireFormat format;
        if (ingestion) {
            projector = new IngestionProjector(projection);
            format = WireFormat.of("/api/public/ingestion", "{\"batch\":[@]}", "@");
        } else {
            OtlpProjector otlp = new OtlpProjector(projection);
            projector = otlp;
            String envelope = "{\"resourceSpans\":[" + Json.write(otlp.resourceEnvelope()).replace("\"spans\":[]",
                    "\"spans\":[@]") + "]}";
            format = WireFormat.of("/api/public/otel/v1/traces", envelope, "@");
        }
        BatchSender sender = config.effectiveExporter() == AgentConfig.ExporterKind.LANGFUSE
                ? new LangfuseHttpSender(config.langfuseHost, config.langfusePublicKey, config.langfuseSecretKey, format,
                        config.requestTimeout, config.maxAttempts, config.gzip)
                : new JsonLinesFileSender(config.filePath, format);
        SpoolDirectory spool = config.spoolDir == null ? null
                : new SpoolDirectory(Paths.get(config.spoolDir), ingestion ? "ingestion" : "otlp", config.spoolMaxBytes);
        BatchingExporter exporter = new BatchingExporter(sender, stats, spool, config.exportQueueSize,
                config.batchMaxItems, config.batchMaxBytes, config.batchDelay.toNanos(), TimeUnit.MINUTES.toNanos(2),
                config.circuitMaxCooldown.toNanos());
        exporter.onFirstBatch(new ExporterMetrics(stats, exporter)::register);

        String defaultSession = config.sessionId != null ? config.sessionId : "session-" + UUID.randomUUID();
        Linker linker = new Linker(IdGenerator.RANDOM, defaultSession, config.turnIdleTimeout.toNanos(),
                config.linkMaxSessions, config.linkMaxTexts);
        boolean summaries = config.consoleSummary && config.effectiveExporter() == AgentConfig.ExporterKind.FILE;
        CallAttributes callAttributes = new CallAttributes(config.privacy.userMdcKey, config.privacy.metadataMdcKeys);
        ExportPolicy policy = new ExportPolicy(new ContentPolicy(config.privacy.contentMode, redactor),
                new SessionSampler(config.privacy.sampleRate, config.privacy.sampleKeepErrors), callAttributes,
                callAttributes.isEmpty() ? null : new SessionAttributes(config.linkMaxSessions), stats);
        Pipeline pipeline = new Pipeline(config.captureQueueSize, PriceTable.load(config.pricesFile), linker, projector,
                new ItemTruncator(config.batchMaxBytes), exporter, stats,
                summaries ? new TurnSummaryPrinter(System.err) : null, policy);

        OperationRegistry registry = new OperationRegistry();
        OpenAiOperations.register(registry);
        AnthropicOperations.register(registry);
        GeminiOperations.register(registry);
        BedrockOperations.register(registry);
        LangChain4jOperations.register(registry);
        SpringAiOperations.register(registry);
        PollyOperations.register(registry);
        TranscribeStreamingOperations.register(registry);
        GoogleSpeechOperations.register(registry);
        CallExtractor speech = SpeechRestOperations.newExtractor();
        HttpEndpoints endpoints = SpeechRestOperations.addTo(new HttpEndpoints(), config.deepgramHosts,
                config.elevenlabsHosts, config.assemblyaiHosts, JdkHttpClientCalls.OBSERVER, speech);
        JdkHttpClientCalls.register(registry, endpoints);
        OkHttpCalls.register(registry, SpeechRestOperations.addTo(new HttpEndpoints(), config.deepgramHosts,
                config.elevenlabsHosts, config.assemblyaiHosts, OkHttpCalls.OBSERVER, speech));
        SocketRuntime sockets = RealtimeSockets.register(registry, pipeline, config, config.sessionId == null);
        // A library switched off is left untouched: its transformations are never installed.
        List<InstrumentationModule> modules = new ArrayList<>();
        addIfEnabled(config, modules, "openai", new OpenAiInstrumentation());
        addIfEnabled(config, modules, "anthropic", new AnthropicInstrumentation());
        addIfEnabled(config, modules, "genai", new GoogleGenAiInstrumentation());
        addIfEnabled(config, modules, "bedrock", new BedrockRuntimeInstrumentation());
        addIfEnabled(config, modules, "langchain4j", new LangChain4jInstrumentation(),
                new LangChain4jToolInstrumentation());
        addIfEnabled(config, modules, "springai", new SpringAiInstrumentation(), new SpringAiToolInstrumentation());
        addIfEnabled(config, modules, "polly", new PollyInstrumentation());
        addIfEnabled(config, modules, "googlespeech", new GoogleSpeechInstrumentation(),
                new GaxBidiStreamingInstrumentation());
        addIfEnabled(config, modules, "transcribe", new TranscribeStreamingInstrumentation());
        if (!endpoints.isEmpty() || config.propagation.enabled) {
            addIfEnabled(config, modules, "okhttp", new OkHttpInstrumentation(OkHttpCalls.KEY));
        }
        if (!config.disabledInstrumentations.isEmpty()) {
            AgentLog.info("instrumentation switched off for " + String.join(", ", config.disabledInstrumentations));
        }
        if (!sockets.endpoints().isEmpty()) {
            // A client library's switch covers its sockets too.
            addIfEnabled(config, modules, "okhttp",
                    new dev.voicetrace.agent.instrument.OkHttpWebSocketInstrumentation(RealtimeSockets.OKHTTP_KEY));
        }

        exporter.start();
        pipeline.start();
        ContextSessionReader sessionReader = new ContextSessionReader(config.sessionMdcKey);
        if (lateAttach && mdcAlreadyLoaded(instrumentation)) {
            sessionReader.onMdcLoaded();
        }
        CallTracker tracker = new CallTracker(registry, pipeline, sessionReader, config.sessionId == null,
                config.recordNestedCalls, callAttributes.keys());
        VoicetraceHooks.install(config.propagation.enabled
                ? dev.voicetrace.agent.propagation.TracePropagationSetup.start(instrumentation, config, tracker, callAttributes.keys().length) : tracker);
        if (config.contextPropagation) {
            startContextPropagation(instrumentation, config, callAttributes.keys());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sockets.stopAll();
            stop(config, pipeline, exporter, stats);
        },
                "voicetrace-shutdown"));
        Instrumenter.install(instrumentation, modules, lateAttach, typeName -> {
            if (ContextSessionReader.MDC_CLASS.equals(typeName)) {
                sessionReader.onMdcLoaded();
            }
        });
        if ((!endpoints.isEmpty() || !sockets.endpoints().isEmpty() || config.propagation.enabled)
                && config.instrumentationEnabled("jdkhttp")) {
            JdkHttpClientInstrumentation.install(instrumentation, JdkHttpClientCalls.KEY,
                    sockets.endpoints().isEmpty() ? null : RealtimeSockets.JDK_KEY);
        }
        AgentLog.info("Voicetrace " + VERSION + " started; exporting to " + config.describe());
    }

    private static void startContextPropagation(Instrumentation instrumentation, AgentConfig config,
                                                String[] attributeKeys) {
        try {
            long started = System.nanoTime();
            ContextPropagation.enable(config.sessionMdcKey, attributeKeys);
            ContextInstrumenter.install(instrumentation);
            AgentLog.debug("context propagation installed in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        } catch (RuntimeException | LinkageError e) {
            ContextPropagation.disable();
            AgentLog.warn("context propagation across threads is not available (" + e
                    + "); sessions and turns are linked by content only");
        }
    }

    private static void addIfEnabled(AgentConfig config, List<InstrumentationModule> modules, String name,
                                     InstrumentationModule... libraryModules) {
        if (config.instrumentationEnabled(name)) {
            modules.addAll(Arrays.asList(libraryModules));
        }
    }

    /** On late attach the application may have loaded SLF4J's MDC before the agent could see it. */
    private static boolean mdcAlreadyLoaded(Instrumentation instrumentation) {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (ContextSessionReader.MDC_CLASS.equals(type.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Flushes within the configured time, then says what could not be delivered. */
    private static void stop(AgentConfig config, Pipeline pipeline, BatchingExporter exporter, ExportStats stats) {
        long deadline = System.nanoTime() + config.shutdownTimeout.toNanos();
        pipeline.shutdown(config.shutdownTimeout.toNanos() / 2);
        int lost = exporter.shutdown(Math.max(0, deadline - System.nanoTime()));
        String summary = "Voicetrace stopped: " + stats.summary();
        if (config.effectiveExporter() == AgentConfig.ExporterKind.FILE) {
            String report = ReportAtExit.write(config.filePath, config.reportPath);
            if (report != null) {
                summary += "; report " + report;
            }
        }
        if (lost > 0) {
            AgentLog.warn(summary + "; " + lost + " observations were still queued when the shutdown time ("
                    + config.shutdownTimeout.toMillis() + " ms) ran out and are lost");
        } else {
            AgentLog.info(summary);
        }
    }

    private static AgentLog.Level logLevel(String name) {
        try {
            return AgentLog.Level.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return AgentLog.Level.INFO;
        }
    }

    private static String versionOf() {
        String version = AgentRuntime.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
