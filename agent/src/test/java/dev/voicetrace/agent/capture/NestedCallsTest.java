package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.voicetrace.agent.model.StageKind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An SDK call made inside a framework call on the same thread: skipped by default, marked under "all". */
class NestedCallsTest {

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final OperationRegistry registry = new OperationRegistry();

    NestedCallsTest() {
        CallObserver blocking = new CallObserver() {
            @Override
            public Object onResult(InFlightCall call, Object result) {
                call.complete(false);
                return result;
            }
        };
        registry.registerKey("framework.chat",
                new OperationSpec("framework", "chat", StageKind.LLM, false, (c, r) -> {}, blocking, true));
        registry.register(String.class.getName(), "create",
                new OperationSpec("sdk", "create", StageKind.LLM, false, (c, r) -> {}, blocking, false));
    }

    private List<InFlightCall> run(boolean recordNested) {
        CallTracker tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"), false, recordNested);
        Object outer = tracker.onEnterCall("framework.chat", new Object[] {"prompt"});
        Object inner = tracker.onEnter("create", "sdk request");
        if (inner != null) {
            tracker.onExit(inner, "sdk response", null);
        }
        tracker.onExit(outer, "framework response", null);
        // After the framework call, an SDK call on the same thread is its own call again.
        Object later = tracker.onEnter("create", "another request");
        assertNotNull(later);
        tracker.onExit(later, "sdk response", null);
        return finished;
    }

    @Test
    void byDefaultOnlyTheOutermostCallIsRecorded() {
        List<InFlightCall> calls = run(false);
        assertEquals(2, calls.size());
        assertEquals("framework", calls.get(0).spec().provider);
        assertNull(calls.get(0).nestedIn());
        assertEquals("sdk", calls.get(1).spec().provider);
        assertNull(calls.get(1).nestedIn());
    }

    @Test
    void withAllTheNestedCallIsRecordedAndNamesItsFrameworkCall() {
        List<InFlightCall> calls = run(true);
        assertEquals(3, calls.size());
        assertEquals("sdk", calls.get(0).spec().provider);
        assertEquals("framework/chat", calls.get(0).nestedIn());
        assertEquals("framework", calls.get(1).spec().provider);
        assertNull(calls.get(2).nestedIn());
    }
}
