package dev.voicetrace.agent;

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
import dev.voicetrace.agent.http.HttpEndpoints;
import dev.voicetrace.agent.http.JdkHttpClientCalls;
import dev.voicetrace.agent.http.OkHttpCalls;
import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Instrumenter;
import dev.voicetrace.agent.instrument.JdkHttpClientInstrumentation;
import dev.voicetrace.agent.instrument.ClassLoadGate;
import dev.voicetrace.agent.instrument.LazyInstallation;
import dev.voicetrace.agent.instrument.LoadedClasses;
import dev.voicetrace.agent.instrument.NamedClasses;
import dev.voicetrace.agent.instrument.OkHttpInstrumentation;
import dev.voicetrace.agent.instrument.OkHttpWebSocketInstrumentation;
import dev.voicetrace.agent.link.IdGenerator;
import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.otlp.OtlpHttpSender;
import dev.voicetrace.agent.otlp.ResourceAttributes;
import dev.voicetrace.agent.pipeline.ExportSink;
import dev.voicetrace.agent.pipeline.Pipeline;
import dev.voicetrace.agent.provider.InstalledProviders;
import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.ProviderLibrary;
import dev.voicetrace.agent.provider.Providers;
import dev.voicetrace.agent.propagation.PropagationInstrumenter;
import dev.voicetrace.agent.propagation.TracePropagationSetup;
import dev.voicetrace.agent.pipeline.SecretScrubber;
import dev.voicetrace.agent.pipeline.TurnSummaryPrinter;
import dev.voicetrace.agent.privacy.CallAttributes;
import dev.voicetrace.agent.privacy.ContentPolicy;
import dev.voicetrace.agent.privacy.ExportPolicy;
import dev.voicetrace.agent.privacy.Redactor;
import dev.voicetrace.agent.privacy.SessionAttributes;
import dev.voicetrace.agent.privacy.SessionSampler;
import dev.voicetrace.agent.projection.IngestionProjector;
import dev.voicetrace.agent.projection.ItemTruncator;
import dev.voicetrace.agent.projection.OtlpProjector;
import dev.voicetrace.agent.projection.ProjectionContext;
import dev.voicetrace.agent.projection.Projector;
import dev.voicetrace.agent.report.ReportAtExit;
import dev.voicetrace.agent.context.ContextInstrumenter;
import dev.voicetrace.agent.realtime.RealtimeSockets;
import dev.voicetrace.agent.realtime.SocketRuntime;
import dev.voicetrace.agent.realtime.jakarta.JakartaWebSocketInstrumentation;
import dev.voicetrace.bootstrap.ContextPropagation;
import dev.voicetrace.bootstrap.VoicetraceHooks;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Builds the agent from its configuration: capture, processing, export, instrumentation. */
final class AgentRuntime {

    static final String VERSION = versionOf();

    private AgentRuntime() {}

    static void start(Instrumentation instrumentation, boolean lateAttach) {
        ConfigSource source = ConfigSource.fromSystem();
        AgentConfig config = new AgentConfig(source);
        AgentLog.setThreshold(logLevel(config.logLevel));
        Redactor redactor = Redactor.of(config.privacy.detectors, config.privacy.patterns);
        AgentLog.setFilter(line -> redactor.redact(SecretScrubber.scrub(line)));
        if (!config.enabled) {
            logWarnings(config);
            AgentLog.info("disabled by voicetrace.enabled=false");
            return;
        }
        if (config.effectiveExporter() == AgentConfig.ExporterKind.NONE) {
            logWarnings(config);
            AgentLog.info("voicetrace.exporter=none: calls are not traced");
            return;
        }
        CallAttributes callAttributes = new CallAttributes(config.privacy.userMdcKey, config.privacy.metadataMdcKeys);
        // The JDK's classes are changed on a thread of the agent's, off the JVM's start-up path, and
        // as early as possible: a library's first class waits for it (LazyInstallation), and the
        // first weaving is the longest part of the agent's start. The JDK's HTTP client and
        // the servlet and gRPC classes follow, once the rest of the start-up has said whether they
        // are wanted.
        CompletableFuture<Runnable> laterInstallations = new CompletableFuture<>();
        CompletableFuture<Void> contextReady = new CompletableFuture<>();
        Thread installer = daemon(() -> {
            AgentLog.markStartUpWork();
            try {
                if (config.contextPropagation) {
                    startContextPropagation(instrumentation, config, callAttributes.keys());
                }
                laterInstallations.join().run();
                // A JDK class the application was loading just as its transformer was registered
                // (ProcessHandle's thread pool, for one, on the start-up thread) is caught here.
                NamedClasses.retransformMissed(instrumentation, "instrumentation");
                contextReady.complete(null);
            } catch (Throwable failed) {
                contextReady.completeExceptionally(failed);
            }
            if (!lateAttach) {
                // Here, once the future is complete, and not as an action on it: such an action
                // may run on whichever thread waits for the future, a library's first class
                // waiting inside the class-file hook, where the gate could not weave ClassLoader
                // and its pause would hold up the application.
                closeClassGate(instrumentation, config);
            }
        }, "voicetrace-installer");
        installer.start();
        try {
            startPipeline(instrumentation, lateAttach, source, config, redactor, callAttributes, laterInstallations,
                    contextReady, installer);
        } finally {
            // Whatever happened above, the installer thread does not wait for ever.
            laterInstallations.complete(() -> { });
        }
    }

    private static void startPipeline(Instrumentation instrumentation, boolean lateAttach, ConfigSource source,
                                      AgentConfig config, Redactor redactor, CallAttributes callAttributes,
                                      CompletableFuture<Runnable> laterInstallations,
                                      CompletableFuture<Void> contextReady, Thread installer) {
        ExportStats stats = new ExportStats();
        ProjectionContext projection = new ProjectionContext(config.serviceName, config.environment, config.release,
                VERSION, IdGenerator.RANDOM, EpochClock::now, config.privacy.tags);
        Map<String, Object> resource = ResourceAttributes.detect(source, config.serviceName, config.environment,
                VERSION);
        // Without Langfuse keys, an OTLP endpoint replaces the local file rather than joining it.
        boolean otlpAlone = config.otlp.enabled() && config.exporter == AgentConfig.ExporterKind.AUTO
                && !config.hasLangfuseKeys();
        BatchingExporter exporter = null;
        Projector projector = null;
        if (!otlpAlone) {
            boolean ingestion = config.effectiveExporter() == AgentConfig.ExporterKind.LANGFUSE
                    && config.langfuseApi == AgentConfig.LangfuseApi.INGESTION;
            projector = ingestion ? new IngestionProjector(projection) : new OtlpProjector(projection, resource, false);
            WireFormat format = projector.wireFormat();
            BatchSender sender = config.effectiveExporter() == AgentConfig.ExporterKind.LANGFUSE
                    ? new LangfuseHttpSender(config.langfuseHost, config.langfusePublicKey, config.langfuseSecretKey,
                            format, config.requestTimeout, config.maxAttempts, config.gzip)
                    : new JsonLinesFileSender(config.filePath, format);
            SpoolDirectory spool = config.spoolDir == null ? null
                    : new SpoolDirectory(Paths.get(config.spoolDir), ingestion ? "ingestion" : "otlp",
                            config.spoolMaxBytes);
            exporter = new BatchingExporter(sender, stats, spool, config.exportQueueSize, config.batchMaxItems,
                    config.batchMaxBytes, config.batchDelay.toNanos(), TimeUnit.MINUTES.toNanos(2),
                    config.circuitMaxCooldown.toNanos());
            exporter.beforeEachBatch(new ExporterMetrics(stats, exporter)::publishIfJmxInUse);
        }
        OtlpSink otlpSink = config.otlp.enabled() ? otlpSink(config, projection, resource, otlpAlone ? stats : null)
                : null;

        String defaultSession = config.sessionId != null ? config.sessionId : "session-" + IdGenerator.randomUuid();
        Linker linker = new Linker(IdGenerator.RANDOM, defaultSession, config.turnIdleTimeout.toNanos(),
                config.linkMaxSessions, config.linkMaxTexts);
        boolean summaries = config.consoleSummary && config.effectiveExporter() == AgentConfig.ExporterKind.FILE
                && !otlpAlone;
        ExportPolicy policy = new ExportPolicy(new ContentPolicy(config.privacy.contentMode, redactor),
                new SessionSampler(config.privacy.sampleRate, config.privacy.sampleKeepErrors), callAttributes,
                callAttributes.isEmpty() ? null : new SessionAttributes(config.linkMaxSessions), stats);
        Pipeline pipeline = new Pipeline(config.captureQueueSize, PriceTable.loadOnFirstUse(config.pricesFile), linker, projector,
                new ItemTruncator(config.batchMaxBytes), exporter, stats,
                summaries ? new TurnSummaryPrinter(System.err) : null, policy);
        if (otlpSink != null) {
            pipeline.addSink(otlpSink.sink);
        }

        OperationRegistry registry = new OperationRegistry();
        List<Provider> known = Providers.load(AgentLog::warn);
        if (known.isEmpty()) {
            AgentLog.warn("no provider was found in the agent jar (its META-INF/services entry is missing):"
                    + " no SDK call is traced");
        }
        InstalledProviders providers = InstalledProviders.install(known, config, registry, AgentLog::warn);
        HttpEndpoints endpoints = providers.httpEndpoints(JdkHttpClientCalls.OBSERVER);
        JdkHttpClientCalls.register(registry, endpoints);
        OkHttpCalls.register(registry, providers.httpEndpoints(OkHttpCalls.OBSERVER));
        SocketRuntime sockets = RealtimeSockets.register(registry, pipeline, providers.socketEndpoints(),
                config.sessionId == null);
        // A library switched off is left untouched: its transformations are never installed. The
        // providers' own libraries are declared only when their first class loads; these are the
        // HTTP and WebSocket clients' instrumentations, built at once.
        Map<String, List<InstrumentationModule>> modules = new LinkedHashMap<>();
        List<String> switchedOff = new ArrayList<>(providers.switchedOff());
        boolean okHttp = config.instrumentationEnabled("okhttp");
        for (String client : AgentConfig.CLIENT_INSTRUMENTATIONS) {
            if (!config.instrumentationEnabled(client)) {
                switchedOff.add(client);
            }
        }
        List<InstrumentationModule> okHttpModules = new ArrayList<>();
        // The HTTP clients carry the REST vendors' calls, and trace context to other services.
        if ((!endpoints.isEmpty() || config.propagation.enabled) && okHttp) {
            okHttpModules.add(new OkHttpInstrumentation(OkHttpCalls.KEY));
        }
        if (!sockets.endpoints().isEmpty() && okHttp) {
            // A client library's switch covers its sockets too.
            okHttpModules.add(new OkHttpWebSocketInstrumentation(RealtimeSockets.OKHTTP_KEY));
        }
        if (!okHttpModules.isEmpty()) {
            modules.put("okhttp", okHttpModules);
        }
        if (!sockets.endpoints().isEmpty() && config.instrumentationEnabled("jakartawebsocket")) {
            modules.put("jakartawebsocket", Collections.singletonList(
                    new JakartaWebSocketInstrumentation(RealtimeSockets.JAKARTA_KEY)));
        }
        // Provider switches and hosts are options too: their problems are known only now.
        logWarnings(config);
        if (!switchedOff.isEmpty()) {
            AgentLog.info("instrumentation switched off for " + String.join(", ", switchedOff));
        }

        if (exporter != null) {
            exporter.start();
        }
        if (otlpSink != null) {
            otlpSink.exporter.start();
        }
        pipeline.start();
        ContextSessionReader sessionReader = new ContextSessionReader(config.sessionMdcKey);
        if (lateAttach && mdcAlreadyLoaded(instrumentation)) {
            sessionReader.onMdcLoaded();
        }
        CallTracker tracker = new CallTracker(registry, pipeline, sessionReader, config.sessionId == null,
                config.recordNestedCalls, callAttributes.keys());
        if (sockets != null) {
            sockets.identifyTurns(tracker::newTurnIdentity);
        }
        VoicetraceHooks.install(config.propagation.enabled
                ? TracePropagationSetup.start(config, tracker, callAttributes.keys().length, providers.hostLists())
                : tracker);
        // The installer thread goes on with these once context propagation is in place.
        boolean jdkHttp = (!endpoints.isEmpty() || !sockets.endpoints().isEmpty() || config.propagation.enabled)
                && config.instrumentationEnabled("jdkhttp");
        laterInstallations.complete(() -> {
            if (jdkHttp) {
                JdkHttpClientInstrumentation.install(instrumentation, JdkHttpClientCalls.KEY,
                        sockets.endpoints().isEmpty() ? null : RealtimeSockets.JDK_KEY);
            }
            if (config.propagation.enabled) {
                installPropagation(instrumentation);
            }
        });
        BatchingExporter primary = exporter;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sockets.stopAll();
            stop(config, pipeline, primary, stats, otlpSink, otlpAlone);
        },
                "voicetrace-shutdown"));
        if (lateAttach) {
            contextReady.join();
            List<InstrumentationModule> all = providers.modules();
            modules.values().forEach(all::addAll);
            Instrumenter.install(instrumentation, all, typeName -> {
                if (ContextSessionReader.MDC_CLASS.equals(typeName)) {
                    sessionReader.onMdcLoaded();
                }
            });
        } else {
            LazyInstallation installation = new LazyInstallation(contextReady, installer)
                    .onLoad(ContextSessionReader.MDC_CLASS, sessionReader::onMdcLoaded);
            for (ProviderLibrary library : providers.libraries()) {
                installation.add(library.id(), library.classNamePrefixes(), library::install);
            }
            modules.forEach((name, libraryModules) ->
                    installation.add(name, LazyInstallation.prefixesOf(libraryModules), libraryModules));
            installation.installOn(instrumentation);
        }
        String destinations = otlpAlone ? config.otlp.describe()
                : config.describe() + (otlpSink != null ? " and " + config.otlp.describe() : "");
        AgentLog.info("Voicetrace " + VERSION + " started; exporting to " + destinations);
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

    /** Servlet and gRPC classes that carry trace context in; classes already loaded are changed too. */
    private static void installPropagation(Instrumentation instrumentation) {
        try {
            PropagationInstrumenter.install(instrumentation);
        } catch (RuntimeException | LinkageError e) {
            AgentLog.warn("trace context from other services is not read (" + e + ")");
        }
    }

    private static void logWarnings(AgentConfig config) {
        for (String warning : config.warnings()) {
            AgentLog.warn(warning);
        }
    }

    private static void closeClassGate(Instrumentation instrumentation, AgentConfig config) {
        if (!config.classGate) {
            AgentLog.debug("the class-file hook stays on: voicetrace.class.gate=false");
            return;
        }
        try {
            ClassLoadGate.closeAfterStartUp(instrumentation);
        } catch (RuntimeException | LinkageError e) {
            // The hook stays on, as before start-up ended: everything is still traced.
            AgentLog.debug("the class-file hook stays on: " + e);
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** On late attach the application may have loaded SLF4J's MDC before the agent could see it. */
    private static boolean mdcAlreadyLoaded(Instrumentation instrumentation) {
        for (Class<?> type : LoadedClasses.all(instrumentation)) {
            if (ContextSessionReader.MDC_CLASS.equals(type.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Flushes within the configured time, then says what could not be delivered. */
    private static void stop(AgentConfig config, Pipeline pipeline, BatchingExporter exporter, ExportStats stats,
                             OtlpSink otlpSink, boolean otlpAlone) {
        long deadline = System.nanoTime() + config.shutdownTimeout.toNanos();
        pipeline.shutdown(config.shutdownTimeout.toNanos() / 2);
        // Both sinks flush at once, each within the rest of the shutdown time; the OTLP one on a
        // thread of its own (never a shared pool the application may have filled).
        java.util.concurrent.atomic.AtomicInteger otlpLost = new java.util.concurrent.atomic.AtomicInteger();
        Thread otlpStop = null;
        if (otlpSink != null) {
            otlpStop = new Thread(() -> otlpLost.set(otlpSink.exporter.shutdown(
                    Math.max(0, deadline - System.nanoTime()))), "voicetrace-shutdown-otlp");
            otlpStop.setDaemon(true);
            otlpStop.start();
        }
        int lost = exporter == null ? 0 : exporter.shutdown(Math.max(0, deadline - System.nanoTime()));
        String lostWhere = "";
        if (otlpStop != null) {
            try {
                // The exporter's shutdown is bounded by the deadline plus a short grace for a request in flight.
                otlpStop.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (otlpLost.get() > 0 && !otlpAlone) {
                lostWhere = " (" + otlpLost.get() + " of them for the OTLP endpoint " + config.otlp.tracesUrl + ")";
            }
            lost += otlpLost.get();
        }
        String summary = "Voicetrace stopped: " + stats.summary();
        if (otlpSink != null && !otlpAlone) {
            summary += "; OTLP sink: " + otlpSink.stats.summary();
        }
        if (config.effectiveExporter() == AgentConfig.ExporterKind.FILE && !otlpAlone) {
            String report = ReportAtExit.write(config.filePath, config.reportPath);
            if (report != null) {
                summary += "; report " + report;
            }
        }
        if (lost > 0) {
            AgentLog.warn(summary + "; " + lost + " observations" + lostWhere + " were not delivered by exit (the"
                    + " receiver was unavailable, or the shutdown time of " + config.shutdownTimeout.toMillis()
                    + " ms ran out) and are lost");
        } else {
            AgentLog.info(summary);
        }
    }

    /** The OTLP sink's parts, kept for start and shutdown. */
    private static final class OtlpSink {
        final ExportSink sink;
        final BatchingExporter exporter;
        final ExportStats stats;

        OtlpSink(ExportSink sink, BatchingExporter exporter, ExportStats stats) {
            this.sink = sink;
            this.exporter = exporter;
            this.stats = stats;
        }
    }

    /**
     * Spans to an OTLP endpoint, with its own queue, batching, retries and counters; they carry
     * the GenAI conventions' message attributes besides everything Langfuse gets.
     *
     * @param sharedStats the pipeline's counters when this is the only sink, else null (own counters)
     */
    private static OtlpSink otlpSink(AgentConfig config, ProjectionContext projection, Map<String, Object> resource,
                                     ExportStats sharedStats) {
        OtlpProjector projector = new OtlpProjector(projection, resource, true);
        ExportStats stats = sharedStats != null ? sharedStats : new ExportStats();
        OtlpHttpSender sender = new OtlpHttpSender(config.otlp, projector.wireFormat(), projector.resourceEnvelope(),
                config.requestTimeout, config.maxAttempts, config.gzip);
        BatchingExporter exporter = new BatchingExporter("voicetrace-exporter-otlp", sender, stats, null, config.exportQueueSize, config.batchMaxItems,
                config.batchMaxBytes, config.batchDelay.toNanos(), TimeUnit.MINUTES.toNanos(2),
                config.circuitMaxCooldown.toNanos());
        exporter.beforeEachBatch(new ExporterMetrics(stats, exporter,
                sharedStats != null ? ExporterMetrics.OBJECT_NAME : ExporterMetrics.OBJECT_NAME + ",sink=otlp")
                ::publishIfJmxInUse);
        return new OtlpSink(new ExportSink(projector, exporter, new ItemTruncator(config.batchMaxBytes), stats),
                exporter, stats);
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
