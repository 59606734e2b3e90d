package dev.voicetrace.agent.capture;

import dev.voicetrace.agent.model.StageKind;

/** What an intercepted method is: which provider, which stage, and how to read its call. */
public final class OperationSpec {

    public final String provider;
    public final String operation;
    public final StageKind kind;
    public final boolean streaming;
    public final CallExtractor extractor;

    public OperationSpec(String provider, String operation, StageKind kind, boolean streaming, CallExtractor extractor) {
        this.provider = provider;
        this.operation = operation;
        this.kind = kind;
        this.streaming = streaming;
        this.extractor = extractor;
    }
}
