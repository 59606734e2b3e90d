package dev.voicetrace.agent.export;

import dev.voicetrace.agent.capture.SdkMembers;
import java.util.concurrent.atomic.AtomicLong;

/** What happened to exported items, counted since start-up. */
public final class ExportStats {

    /** Items accepted into the export queue. */
    public final AtomicLong queued = new AtomicLong();
    /** Items dropped because the queue was full. */
    public final AtomicLong droppedQueueFull = new AtomicLong();
    /** Items delivered (accepted by the server or written to the file). */
    public final AtomicLong sent = new AtomicLong();
    /** Items that could not be delivered after every attempt, or were refused for good. */
    public final AtomicLong failed = new AtomicLong();
    /** Items the server accepted in a batch but rejected one by one (legacy 207 answers). */
    public final AtomicLong rejected = new AtomicLong();
    /** Requests sent again after a retryable failure. */
    public final AtomicLong retries = new AtomicLong();
    /** Requests sent, including retries. */
    public final AtomicLong requests = new AtomicLong();
    /** Items written to the spool directory because they could not be delivered. */
    public final AtomicLong spooled = new AtomicLong();
    /** Observations cut down to fit the request size limit. */
    public final AtomicLong truncated = new AtomicLong();
    /** Linking state given up to stay bounded: old texts, forgotten sessions, turns closed early. */
    public final AtomicLong linkEvictions = new AtomicLong();
    /** Calls captured but dropped before processing because the capture queue was full. */
    public final AtomicLong droppedCalls = new AtomicLong();
    /** Calls whose library objects could not be read; they are exported with what was known. */
    public final AtomicLong extractionErrors = new AtomicLong();
    /** Sessions left out by {@code voicetrace.sample.rate}. */
    public final AtomicLong sampledOutSessions = new AtomicLong();
    /** Personal data replaced in exported content. */
    public final AtomicLong redactions = new AtomicLong();

    public String summary() {
        return "queued=" + queued.get() + " sent=" + sent.get() + " failed=" + failed.get()
                + " rejected=" + rejected.get() + " dropped=" + (droppedQueueFull.get() + droppedCalls.get())
                + " retries=" + retries.get() + " requests=" + requests.get() + " spooled=" + spooled.get()
                + " truncated=" + truncated.get()
                + " extraction_errors=" + extractionErrors.get() + " link_evictions=" + linkEvictions.get()
                + " sampled_out_sessions=" + sampledOutSessions.get() + " redactions=" + redactions.get()
                + " sdk_drift=" + SdkMembers.driftCount();
    }
}
