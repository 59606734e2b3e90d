package dev.voicetrace.agent.pipeline;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallSink;
import dev.voicetrace.agent.capture.EpochClock;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.export.BatchingExporter;
import dev.voicetrace.agent.export.ExportStats;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.link.ToolBracketer;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.privacy.ExportPolicy;
import dev.voicetrace.agent.projection.ItemTruncator;
import dev.voicetrace.agent.projection.Projector;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent's processing thread: takes finished calls from a bounded queue (application threads
 * only ever offer to it), reads them into stage records, prices and links them, projects them
 * onto the wire format and queues the result for export.
 */
public final class Pipeline implements CallSink {

    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How long the processing thread sleeps when it finds the queue empty. It is never woken by the
     * threads that queue calls (see {@link #run}), and each nap costs a timer and a wake-up. A nap
     * is sized to find about {@link #ITEMS_PER_NAP} items, from what the last one found: at
     * thousands of calls a second, the shortest, so that the work is spread thin rather than
     * coming in bursts that compete with the application for its cores (a burst every 50 ms showed
     * in the chat benchmark's p99); at a voice application's pace (calls some 2 to 90 ms apart, a
     * dozen a second) up to the idle nap, a couple of calls per wake-up: every wake-up costs this
     * thread a timer and a switch (naps reset to 2 ms after every call took five, a fifth of its CPU
     * on the voice benchmark's virtual machine; naps of at most 50 ms still took a tenth); with
     * nothing arriving, doubling up to the idle one. A call then waits up to that long to be
     * processed, well within the export's batching delay (1 s by default).
     */
    private static final long SHORTEST_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long LONGEST_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long IDLE_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int ITEMS_PER_NAP = 2;

    /** Finished calls ({@link InFlightCall}) and other work ({@link RecordWork}), in arrival order. */
    private final BlockingQueue<Object> calls;
    private final PriceTable prices;
    private final Linker linker;
    private final ToolBracketer tools;
    /** Where observations and turns go; the first is the one given to the constructor, when there is one. */
    private final List<ExportSink> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExportStats stats;
    private final TurnSummaryPrinter summaries;
    private final ExportPolicy policy;
    private final Thread thread;
    private volatile boolean stopping;

    public Pipeline(int queueSize, PriceTable prices, Linker linker, Projector projector, ItemTruncator truncator,
                    BatchingExporter exporter, ExportStats stats, TurnSummaryPrinter summaries) {
        this(queueSize, prices, linker, projector, truncator, exporter, stats, summaries, ExportPolicy.KEEP_ALL);
    }

    public Pipeline(int queueSize, PriceTable prices, Linker linker, Projector projector, ItemTruncator truncator,
                    BatchingExporter exporter, ExportStats stats, TurnSummaryPrinter summaries, ExportPolicy policy) {
        this.policy = policy;
        this.calls = new ArrayBlockingQueue<>(Math.max(1, queueSize));
        this.prices = prices;
        this.linker = linker;
        this.tools = new ToolBracketer(linker.ids());
        linker.useToolBracketer(tools);
        if (projector != null && exporter != null) {
            sinks.add(new ExportSink(projector, exporter, truncator, stats));
        }
        this.stats = stats;
        this.summaries = summaries;
        this.thread = new Thread(this::run, "voicetrace-processor");
        this.thread.setDaemon(true);
    }

    /** Adds a destination (e.g. an OTLP endpoint beside Langfuse); called before {@link #start}. */
    public void addSink(ExportSink sink) {
        sinks.add(sink);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void accept(InFlightCall call) {
        if (!calls.offer(call)) {
            stats.droppedCalls.incrementAndGet();
            AgentLog.warnOnce("capture-queue-full", "capture queue is full; calls are being dropped"
                    + " (raise voicetrace.capture.queue.size)");
        }
    }

    /**
     * Queues work that produces records on the processing thread (a socket's frames, parsed
     * there); false, counted as a dropped call, when the queue is full.
     */
    public boolean offerWork(RecordWork work) {
        if (calls.offer(work)) {
            return true;
        }
        stats.droppedCalls.incrementAndGet();
        AgentLog.warnOnce("capture-queue-full", "capture queue is full; calls are being dropped"
                + " (raise voicetrace.capture.queue.size)");
        return false;
    }

    /** Processes every queued call, closes all turns, and waits for them to be queued for export. */
    public void shutdown(long timeoutNanos) {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes calls without ever blocking on the queue: a thread blocked there would have to be
     * woken by every application thread that queues a call, a system call on the application's
     * time and a thread competing for its core just as it goes on. Instead this thread naps when
     * the queue is empty and takes what arrived meanwhile in one go; calls wait a few
     * milliseconds longer to be processed, which nothing observes. Shutdown wakes it at once.
     */
    private void run() {
        long nextIdleCheck = System.nanoTime() + IDLE_CHECK_NANOS;
        long nap = SHORTEST_NAP_NANOS;
        int itemsSinceNap = 0;
        while (true) {
            try {
                Object item = calls.poll();
                if (item instanceof InFlightCall) {
                    process((InFlightCall) item);
                    itemsSinceNap++;
                } else if (item instanceof RecordWork) {
                    ((RecordWork) item).run(this::processRecord);
                    itemsSinceNap++;
                } else if (stopping) {
                    emitTurns(linker.closeAll());
                    return;
                } else {
                    nap = nextNap(nap, itemsSinceNap);
                    itemsSinceNap = 0;
                    LockSupport.parkNanos(this, nap);
                    if (Thread.interrupted()) {
                        return;
                    }
                }
                if (System.nanoTime() > nextIdleCheck) {
                    emitTurns(linker.closeIdle(EpochClock.now()));
                    nextIdleCheck = System.nanoTime() + IDLE_CHECK_NANOS;
                }
            } catch (RuntimeException | LinkageError e) {
                AgentLog.warnOnce("pipeline:" + e.getClass().getName(), "processing error, call skipped: " + e);
            }
        }
    }

    /** The nap after one of {@code lastNap} nanoseconds that was followed by {@code itemsFound} items. */
    static long nextNap(long lastNap, int itemsFound) {
        if (itemsFound == 0) {
            return Math.min(IDLE_NAP_NANOS, lastNap * 2);
        }
        long sized = lastNap * ITEMS_PER_NAP / itemsFound;
        return Math.max(SHORTEST_NAP_NANOS, Math.min(LONGEST_NAP_NANOS, sized));
    }

    /** The steps, in order: read the call, account for it, link it, apply the export policy, project and export. */
    void process(InFlightCall call) {
        StageRecord record = toRecord(call);
        if (record == null) {
            return;
        }
        processRecord(record);
    }

    /** A record made on this thread by {@link RecordWork}, or read from a call: accounted, linked and exported. */
    void processRecord(StageRecord record) {
        // Accounting: usage as Langfuse's disjoint buckets, then each bucket priced.
        prices.settle(record);
        linkAndExport(record);
    }

    private void linkAndExport(StageRecord record) {
        Linker.Result linked = linker.link(record);
        List<LinkedObservation> toolObservations = tools.afterLinked(linked.observation);
        // Redaction comes after linking: the linker's keys are taken from the raw text and stay in memory.
        policy.afterLinking(record);
        for (LinkedObservation tool : toolObservations) {
            policy.afterLinking(tool.record);
        }
        stats.linkEvictions.set(linker.evictions() + tools.evictions());
        emitTurns(linked.closedTurns);
        // Sampling decides on the session an observation has when it is ready: a held one's is settled.
        for (LinkedObservation ready : linked.ready) {
            if (policy.exportsObservation(ready)) {
                emitObservation(ready);
            }
        }
        for (LinkedObservation tool : toolObservations) {
            if (policy.exportsObservation(tool)) {
                emitObservation(tool);
            }
        }
    }

    private void emitObservation(LinkedObservation observation) {
        for (ExportSink sink : sinks) {
            sink.observation(observation);
        }
    }

    /** The call's record, or null when its extractor says another call records it. */
    StageRecord toRecord(InFlightCall call) {
        OperationSpec spec = call.spec();
        StageRecord record = new StageRecord();
        record.kind = spec.kind;
        record.provider = spec.provider;
        record.operation = spec.operation;
        record.streaming = spec.streaming;
        record.startEpochNanos = call.startEpochNanos;
        record.endEpochNanos = call.endEpochNanos();
        record.firstOutputEpochNanos = call.firstOutputEpochNanos();
        record.contextSessionId = call.contextSessionId;
        record.contextTurnAnchor = call.contextTurnAnchor;
        record.contextSessionGenerated = call.sessionGenerated;
        record.contextTurn = call.contextTurn;
        policy.readAttributes(call.contextAttributes(), record);
        if (call.error() != null) {
            Throwable error = call.error();
            record.error = SecretScrubber.scrub(error.getClass().getName()
                    + (error.getMessage() == null ? "" : ": " + error.getMessage()));
        }
        try {
            spec.extractor.extract(call, record);
        } catch (CallExtractor.NotRecorded e) {
            return null;
        } catch (Exception | LinkageError e) {
            stats.extractionErrors.incrementAndGet();
            AgentLog.warnOnce("extract:" + spec.provider + ":" + spec.operation + ":" + e.getClass().getName(),
                    spec.provider + " " + spec.operation + ": could not read the call (" + e
                            + "); it is exported with what was known");
            record.metadata.put("extraction_error", SecretScrubber.scrub(e.toString()));
        }
        if (call.interrupted()) {
            record.metadata.put("interrupted", "true");
        }
        if (call.streamItemsTruncated()) {
            record.metadata.put("stream_items_truncated", "true");
        }
        if (call.nestedIn() != null) {
            // The framework call around it is counted and priced already: Langfuse must not count it twice.
            record.metadata.put("nested_in", call.nestedIn());
        }
        return record;
    }

    private void emitTurns(List<Turn> turns) {
        for (Turn turn : turns) {
            // Observations held until the turn's session was known leave with the turn at the latest.
            List<LinkedObservation> held = turn.settle();
            tools.turnClosed(turn);
            ExportPolicy.TurnDecision decision = policy.decide(turn);
            if (decision != ExportPolicy.TurnDecision.DROP) {
                policy.prepare(turn);
                // A turn kept for its error exports every observation: none left before, as its session is dropped.
                for (LinkedObservation observation : decision == ExportPolicy.TurnDecision.EXPORT_WITH_OBSERVATIONS
                        ? turn.observations() : held) {
                    emitObservation(observation);
                }
                // A turn another service opened has its root and figures exported there.
                if (!turn.remote) {
                    for (ExportSink sink : sinks) {
                        sink.turn(turn);
                    }
                    if (summaries != null) {
                        summaries.print(turn);
                    }
                }
            }
            turn.release();
        }
    }
}
