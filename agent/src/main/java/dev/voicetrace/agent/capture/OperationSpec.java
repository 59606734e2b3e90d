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
    /**
     * Whether this operation only informs the framework call it runs in (through
     * {@link CallObserver#onNestedArguments}) and is never recorded as a call of its own.
     */
    public final boolean nestedOnly;

    public OperationSpec(String provider, String operation, StageKind kind, boolean streaming, CallExtractor extractor) {
        this(provider, operation, kind, streaming, extractor, CallObserver.SDK_RESULTS, false);
    }

    public OperationSpec(String provider, String operation, StageKind kind, boolean streaming, CallExtractor extractor,
                         CallObserver observer, boolean outermost) {
        this(provider, operation, kind, streaming, extractor, observer, outermost, false);
    }

    private OperationSpec(String provider, String operation, StageKind kind, boolean streaming, CallExtractor extractor,
                          CallObserver observer, boolean outermost, boolean nestedOnly) {
        this.nestedOnly = nestedOnly;
        this.provider = provider;
        this.operation = operation;
        this.kind = kind;
        this.streaming = streaming;
        this.extractor = extractor;
        this.observer = observer;
        this.outermost = outermost;
    }

    /** A method seen only inside a framework call of {@code provider}, telling {@code observer} its arguments. */
    public static OperationSpec nestedOnly(String provider, String operation, CallObserver observer) {
        return new OperationSpec(provider, operation, StageKind.LLM, false, (call, record) -> {}, observer, false, true);
    }
}
