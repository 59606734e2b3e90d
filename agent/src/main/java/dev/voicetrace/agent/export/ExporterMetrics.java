package dev.voicetrace.agent.export;

import dev.voicetrace.agent.AgentLog;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** Publishes an exporter's counters over JMX. */
public final class ExporterMetrics implements ExporterMXBean {

    public static final String OBJECT_NAME = "voicetrace:type=Exporter";

    private final ExportStats stats;
    private final BatchingExporter exporter;

    private final String objectName;

    public ExporterMetrics(ExportStats stats, BatchingExporter exporter) {
        this(stats, exporter, OBJECT_NAME);
    }

    /** A second sink's counters, under their own name (e.g. {@code voicetrace:type=Exporter,sink=otlp}). */
    public ExporterMetrics(ExportStats stats, BatchingExporter exporter, String objectName) {
        this.stats = stats;
        this.exporter = exporter;
        this.objectName = objectName;
    }

    /**
     * Registers with the platform MBean server. Called from the exporter thread once the
     * application is running, never from premain: creating the platform MBean server before an
     * application server has installed its own builder breaks that server.
     */
    public void register() {
        try {
            ObjectName name = new ObjectName(objectName);
            javax.management.MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (!server.isRegistered(name)) {
                server.registerMBean(this, name);
            }
        } catch (Exception | LinkageError e) {
            AgentLog.warnOnce("jmx", "exporter counters are not published over JMX: " + e);
        }
    }

    @Override
    public long getQueued() {
        return stats.queued.get();
    }

    @Override
    public long getSent() {
        return stats.sent.get();
    }

    @Override
    public long getFailed() {
        return stats.failed.get();
    }

    @Override
    public long getRejected() {
        return stats.rejected.get();
    }

    @Override
    public long getDropped() {
        return stats.droppedQueueFull.get() + stats.droppedCalls.get();
    }

    @Override
    public long getRetries() {
        return stats.retries.get();
    }

    @Override
    public long getRequests() {
        return stats.requests.get();
    }

    @Override
    public long getSpooled() {
        return stats.spooled.get();
    }

    @Override
    public long getTruncated() {
        return stats.truncated.get();
    }

    @Override
    public long getExtractionErrors() {
        return stats.extractionErrors.get();
    }

    @Override
    public long getLinkEvictions() {
        return stats.linkEvictions.get();
    }

    @Override
    public long getSampledOutSessions() {
        return stats.sampledOutSessions.get();
    }

    @Override
    public long getRedactions() {
        return stats.redactions.get();
    }

    @Override
    public long getSdkDrift() {
        return dev.voicetrace.agent.capture.SdkMembers.driftCount();
    }

    @Override
    public int getQueueDepth() {
        return exporter.queued();
    }

    @Override
    public boolean isCircuitOpen() {
        return exporter.circuitOpen();
    }
}
