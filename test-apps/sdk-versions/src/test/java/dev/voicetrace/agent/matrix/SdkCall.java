package dev.voicetrace.agent.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A finished call made of real SDK objects, as the advice would hand it over, run through a
 * provider's real extractor. Every run checks that the agent found every SDK member it looked for:
 * a member missing from this SDK version counts as drift (once per class and member, so the first
 * test that reads it fails, with the agent's warning naming it).
 */
public final class SdkCall implements CompletedCall {

    /** Stream items arrive 10 ms apart, from this epoch time on. */
    public static final long STREAM_START_NANOS = 1_000_000_000L;
    public static final long STREAM_ITEM_GAP_NANOS = 10_000_000L;

    private final OperationSpec spec;
    private final Object[] arguments;
    private Object receiver;
    private Object response;
    private List<Object> streamItems = Collections.emptyList();
    private long bodyBytes = -1;
    private String bodyContentType;
    private long requestContentBytes = -1;

    private SdkCall(OperationSpec spec, Object[] arguments) {
        this.spec = spec;
        this.arguments = arguments.clone();
    }

    /** A call of {@code operation} with the intercepted method's arguments. */
    public static SdkCall of(String provider, String operation, StageKind kind, boolean streaming,
                             CallExtractor extractor, Object... arguments) {
        return new SdkCall(new OperationSpec(provider, operation, kind, streaming, extractor), arguments);
    }

    public SdkCall receiver(Object receiver) {
        this.receiver = receiver;
        return this;
    }

    public SdkCall response(Object response) {
        this.response = response;
        return this;
    }

    public SdkCall stream(List<?> items) {
        this.streamItems = new ArrayList<>(items);
        return this;
    }

    public SdkCall body(long bytes, String contentType) {
        this.bodyBytes = bytes;
        this.bodyContentType = contentType;
        return this;
    }

    public SdkCall requestContent(long bytes) {
        this.requestContentBytes = bytes;
        return this;
    }

    /** The record the provider's extractor makes of this call; fails on SDK drift. */
    public StageRecord extract() throws Exception {
        StageRecord record = new StageRecord();
        record.kind = spec.kind;
        record.provider = spec.provider;
        record.operation = spec.operation;
        record.streaming = spec.streaming;
        record.startEpochNanos = STREAM_START_NANOS - 1;
        long driftBefore = SdkMembers.driftCount();
        spec.extractor.extract(this, record);
        assertEquals(driftBefore, SdkMembers.driftCount(),
                "SDK drift: the agent missed a member of this SDK version (its warning names it)");
        return record;
    }

    @Override
    public OperationSpec spec() {
        return spec;
    }

    @Override
    public Object receiver() {
        return receiver;
    }

    @Override
    public Object[] arguments() {
        return arguments.clone();
    }

    @Override
    public Object response() {
        return response;
    }

    @Override
    public List<Object> streamItems() {
        return streamItems;
    }

    @Override
    public long streamItemTime(int index) {
        return STREAM_START_NANOS + index * STREAM_ITEM_GAP_NANOS;
    }

    @Override
    public long bodyBytes() {
        return bodyBytes;
    }

    @Override
    public String bodyContentType() {
        return bodyContentType;
    }

    @Override
    public long requestContentBytes() {
        return requestContentBytes;
    }

    @Override
    public boolean interrupted() {
        return false;
    }

    @Override
    public String toString() {
        return spec.provider + " " + spec.operation + Arrays.toString(arguments);
    }
}
