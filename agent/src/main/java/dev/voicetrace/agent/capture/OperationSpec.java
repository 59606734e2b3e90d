package dev.voicetrace.agent.capture;

import dev.voicetrace.agent.model.StageKind;

/** What an intercepted method is: which provider, which stage, and how to observe and read its call. */
public final class OperationSpec {

    public final String provider;
    public final String operation;
    public final StageKind kind;
    public final boolean streaming;
    public final CallExtractor extractor;
    public final CallObserver observer;
    /**
     * Whether this is a framework-level call (LangChain4j, Spring AI) that may itself call an
     * instrumented SDK on the same thread: such nested calls are not recorded a second time.
     */
    public final boolean outermost;

    public OperationSpec(String provider, String operation, StageKind kind, boolean streaming, CallExtractor extractor) {
        this(provider, operation, kind, streaming, extractor, CallObserver.SDK_RESULTS, false);
    }

    public OperationSpec(String provider, String operation, StageKind kind, boolean streaming, CallExtractor extractor,
                         CallObserver observer, boolean outermost) {
        this.provider = provider;
        this.operation = operation;
        this.kind = kind;
        this.streaming = streaming;
        this.extractor = extractor;
        this.observer = observer;
        this.outermost = outermost;
    }
}
