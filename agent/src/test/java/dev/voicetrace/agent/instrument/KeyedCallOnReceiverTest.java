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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inlines the receiver advice into a small "HTTP call" class, as the agent does with OkHttp's
 * {@code RealCall}: the router sees the call object, a routed call's result may be replaced, an
 * unrouted one passes untouched, and a failure ends the call.
 */
class KeyedCallOnReceiverTest {

    /** Stands for an HTTP client's call: it knows its URL and produces its response. */
    public static class FakeCall {
        public final String url;

        public FakeCall(String url) {
            this.url = url;
        }

        public String response() {
            if (url.contains("fail")) {
                throw new IllegalStateException("connection reset");
            }
            return "body of " + url;
        }
    }

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final List<Object> routed = new CopyOnWriteArrayList<>();
    private Class<?> callType;

    @BeforeEach
    void instrument() throws Exception {
        OperationRegistry registry = new OperationRegistry();
        OperationSpec spec = new OperationSpec("vendor", "speak", StageKind.TTS, false, (call, record) -> { },
                new CallObserver() {
                    @Override
                    public Object onResult(InFlightCall call, Object result) {
                        call.complete(false);
                        return "observed " + result;
                    }
                }, false);
        registry.registerRouter("test.call", (receiver, arguments) -> {
            routed.add(receiver);
            try {
                Object url = receiver.getClass().getField("url").get(receiver);
                return String.valueOf(url).startsWith("https://vendor") ? spec : null;
            } catch (ReflectiveOperationException e) {
                return null;
            }
        });
        VoicetraceHooks.install(new CallTracker(registry, finished::add, new ContextSessionReader("sessionId")));
        callType = WovenClasses.weave(FakeCall.class,
                java.util.Map.of("response", KeyedCallAdvice.forKey("test.call")));
    }

    @AfterEach
    void uninstall() {
        VoicetraceHooks.install(null);
    }

    private Object call(String url) throws Exception {
        Object call = callType.getConstructor(String.class).newInstance(url);
        try {
            return callType.getMethod("response").invoke(call);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void theRouterSeesTheReceiverAndARoutedResultIsObserved() throws Exception {
        assertEquals("observed body of https://vendor/v1/speak", call("https://vendor/v1/speak"));
        assertEquals(1, routed.size());
        assertSame(callType, routed.get(0).getClass(), "the call object itself");
        assertEquals(1, finished.size());
        assertEquals("speak", finished.get(0).spec().operation);
    }

    @Test
    void anUnroutedCallPassesUntouched() throws Exception {
        assertEquals("body of https://elsewhere/x", call("https://elsewhere/x"));
        assertTrue(finished.isEmpty());
    }

    @Test
    void aFailureReachesTheApplicationAndEndsTheCall() {
        IllegalStateException thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> call("https://vendor/fail"));
        assertEquals("connection reset", thrown.getMessage());
        assertEquals(1, finished.size());
        assertEquals("connection reset", finished.get(0).error().getMessage());
    }
}
