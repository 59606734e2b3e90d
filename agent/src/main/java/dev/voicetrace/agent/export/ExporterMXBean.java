package dev.voicetrace.agent.export;

/** The exporter's counters and state, readable over JMX as {@code voicetrace:type=Exporter}. */
public interface ExporterMXBean {
    long getQueued();

    long getSent();

    long getFailed();

    long getRejected();

    long getDropped();

    long getRetries();

    long getRequests();

    long getSpooled();

    long getTruncated();

    long getExtractionErrors();

    long getLinkEvictions();

    long getSampledOutSessions();

    long getRedactions();

    /** SDK members the extractors read that the loaded library versions lack, each class and member once. */
    long getSdkDrift();

    int getQueueDepth();

    boolean isCircuitOpen();
}
