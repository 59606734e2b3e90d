package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.bootstrap.VoicetraceHooks;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inlines the receiver advice into a small stream class, as the agent does, on a value method and a void one. */
class KeyedCallOnStreamReceiverTest {

    /** Stands for a library's stream: iterable and closeable. */
    public static class FakeStream {
        public boolean closed;

        public Iterator<String> iterator() {
            return List.of("a", "b").iterator();
        }

        public void close() {
            closed = true;
        }
    }

    private final List<Object> receivers = new CopyOnWriteArrayList<>();
    private Class<?> streamType;

    @BeforeEach
    void instrument() throws Exception {
        OperationRegistry registry = new OperationRegistry();
        CallObserver observer = new CallObserver() {
            @Override
            public Object onResult(InFlightCall call, Object result) {
                Object receiver = call.receiver();
                receivers.add(receiver);
                return result instanceof Iterator ? List.of("seen").iterator() : result;
            }
        };
        registry.registerKey("test.iterator", new OperationSpec("fake", "iterator", StageKind.LLM, false,
                (call, record) -> {}, observer, false));
        registry.registerKey("test.close", new OperationSpec("fake", "close", StageKind.LLM, false,
                (call, record) -> {}, observer, false));
        VoicetraceHooks.install(new CallTracker(registry, call -> {}, new ContextSessionReader("sessionId")));
        streamType = WovenClasses.weave(FakeStream.class,
                java.util.Map.of("iterator", KeyedCallAdvice.forKey("test.iterator"),
                "close", KeyedCallAdvice.forKey("test.close")));
    }

    @AfterEach
    void uninstall() {
        VoicetraceHooks.install(null);
    }

    @Test
    void theReceiverIsPassedAndTheResultMayBeReplaced() throws Exception {
        Object stream = streamType.getConstructor().newInstance();

        Iterator<?> items = (Iterator<?>) streamType.getMethod("iterator").invoke(stream);
        streamType.getMethod("close").invoke(stream);

        assertEquals("seen", items.next());
        assertEquals(2, receivers.size());
        assertSame(stream, receivers.get(0));
        assertSame(stream, receivers.get(1));
        assertTrue((Boolean) streamType.getField("closed").get(stream), "the void method still ran");
    }
}
