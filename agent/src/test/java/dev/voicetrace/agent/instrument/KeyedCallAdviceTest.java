package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.CallSink;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.bootstrap.VoicetraceHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inlines the keyed advice into a small "framework" class, as the agent does, and checks what the
 * application and the agent see: replaced callback arguments, results, failures of the agent
 * itself, and SDK calls nested in a framework call.
 */
class KeyedCallAdviceTest {

    /** Stands for a framework model: a streaming call with a callback, and a blocking call that uses an SDK. */
    public static class FakeFramework {
        public String chat(String prompt, Consumer<String> onToken) {
            for (String token : prompt.split(" ")) {
                onToken.accept(token);
            }
            return "done:" + prompt;
        }

        public String blocking(String prompt) {
            return FakeSdk.create(prompt);
        }
    }

    /** Stands for an SDK recognised by its request type. */
    public static class FakeSdk {
        public static String create(String request) {
            Object handle = VoicetraceHooks.enter("create", null, request);
            return (String) VoicetraceHooks.exit(handle, "sdk:" + request, null);
        }
    }

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final OperationRegistry registry = new OperationRegistry();
    private Class<?> framework;

    @BeforeEach
    void instrument() throws Exception {
        CallSink sink = finished::add;
        VoicetraceHooks.install(new CallTracker(registry, sink, new ContextSessionReader("sessionId")));
        framework = WovenClasses.weave(FakeFramework.class,
                java.util.Map.of("chat", KeyedCallAdvice.forKey("test.chat"),
                "blocking", KeyedCallAdvice.forKey("test.blocking")));
    }

    @AfterEach
    void uninstall() {
        VoicetraceHooks.install(null);
    }

    /** Wraps the callback so that every token is also a stream item of the call. */
    private static final CallObserver TOKEN_OBSERVER = new CallObserver() {
        @Override
        @SuppressWarnings("unchecked")
        public void onArguments(InFlightCall call, Object[] arguments) {
            Consumer<String> original = (Consumer<String>) arguments[1];
            arguments[1] = (Consumer<String>) token -> {
                call.onStreamItem(token);
                original.accept(token);
            };
        }

        @Override
        public Object onResult(InFlightCall call, Object result) {
            call.onResponse(result);
            call.complete(false);
            return result;
        }
    };

    private String chat(String prompt, Consumer<String> onToken) throws Exception {
        Object instance = framework.getConstructor().newInstance();
        return (String) framework.getMethod("chat", String.class, Consumer.class).invoke(instance, prompt, onToken);
    }

    @Test
    void replacedCallbackSeesEveryTokenAndTheApplicationStillGetsThem() throws Exception {
        registry.registerKey("test.chat",
                new OperationSpec("fake", "chat", StageKind.LLM, true, (call, record) -> {}, TOKEN_OBSERVER, true));
        List<String> received = new ArrayList<>();

        String result = chat("hello there world", received::add);

        assertEquals("done:hello there world", result);
        assertEquals(List.of("hello", "there", "world"), received);
        assertEquals(1, finished.size());
        InFlightCall call = finished.get(0);
        assertEquals(List.of("hello", "there", "world"), call.streamItems());
        assertEquals("done:hello there world", call.response());
        Object[] arguments = call.arguments();
        assertEquals("hello there world", arguments[0]);
    }

    @Test
    void anObserverThatFailsLeavesTheArgumentsAsTheyWere() throws Exception {
        CallObserver broken = new CallObserver() {
            @Override
            public void onArguments(InFlightCall call, Object[] arguments) {
                arguments[1] = null;
                throw new IllegalStateException("observer bug");
            }
        };
        registry.registerKey("test.chat",
                new OperationSpec("fake", "chat", StageKind.LLM, true, (call, record) -> {}, broken, true));
        List<String> received = new ArrayList<>();

        assertEquals("done:a b", chat("a b", received::add));
        assertEquals(List.of("a", "b"), received);
        assertTrue(finished.isEmpty(), "the call is not traced");
    }

    @Test
    void unknownKeysAreNotTraced() throws Exception {
        List<String> received = new ArrayList<>();
        assertEquals("done:x", chat("x", received::add));
        assertEquals(List.of("x"), received);
        assertTrue(finished.isEmpty());
    }

    @Test
    void anSdkCallInsideAFrameworkCallIsRecordedOnce() throws Exception {
        OperationSpec outer = new OperationSpec("framework", "chat", StageKind.LLM, false, (call, record) -> {},
                CallObserver.SDK_RESULTS, true);
        OperationSpec sdk = new OperationSpec("sdk", "create", StageKind.LLM, false, (call, record) -> {});
        registry.registerKey("test.blocking", outer);
        registry.register(String.class.getName(), "create", sdk);
        Object instance = framework.getConstructor().newInstance();

        Object result = framework.getMethod("blocking", String.class).invoke(instance, "hi");

        assertEquals("sdk:hi", result);
        assertEquals(1, finished.size(), "the nested SDK call is not recorded again");
        assertSame(outer, finished.get(0).spec());

        // Outside a framework call the SDK call is recorded as usual.
        assertEquals("sdk:alone", FakeSdk.create("alone"));
        assertEquals(2, finished.size());
        assertSame(sdk, finished.get(1).spec());
        assertNull(finished.get(1).error());
    }
}
