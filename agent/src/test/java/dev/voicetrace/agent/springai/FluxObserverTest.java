package dev.voicetrace.agent.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

/** The decorated Flux: same elements and signals for the application; items, end, error, cancel for the call. */
class FluxObserverTest {

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final OperationRegistry registry = new OperationRegistry();
    private final CallTracker tracker;

    FluxObserverTest() {
        SpringAiOperations.register(registry);
        // An SDK operation, to see whether a call made while subscribing is taken as nested.
        registry.register(String.class.getName(), "create",
                new OperationSpec("sdk", "create", StageKind.LLM, false, (c, r) -> {}));
        tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    }

    @SuppressWarnings("unchecked")
    private Flux<String> stream(Flux<String> provider) {
        Object handle = tracker.onEnterCall(SpringAiInstrumentation.STREAM_KEY, new Object[] {new Prompt("hi")});
        return (Flux<String>) tracker.onExit(handle, provider, null);
    }

    @Test
    void elementsAndCompletionReachTheApplicationAndEndTheCall() {
        Flux<String> observed = stream(Flux.just("Try ", "a ", "pastel."));
        assertTrue(finished.isEmpty(), "nothing happens before a subscription");

        assertEquals(List.of("Try ", "a ", "pastel."), observed.collectList().block(Duration.ofSeconds(5)));

        assertEquals(1, finished.size());
        InFlightCall call = finished.get(0);
        assertEquals(List.of("Try ", "a ", "pastel."), call.streamItems());
        assertTrue(call.firstOutputEpochNanos() > 0);
        assertNull(call.error());
        assertEquals(false, call.interrupted());
    }

    @Test
    void anErrorFailsTheCallAndStillReachesTheApplication() {
        Flux<String> observed = stream(Flux.concat(Flux.just("Try "), Flux.error(new IllegalStateException("reset"))));

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> observed.blockLast());

        assertEquals("reset", thrown.getMessage());
        assertEquals(1, finished.size());
        assertEquals("reset", finished.get(0).error().getMessage());
    }

    @Test
    void cancellingEndsTheCallAsInterrupted() {
        Flux<String> observed = stream(Flux.just("a", "b", "c", "d"));

        assertEquals(List.of("a", "b"), observed.take(2).collectList().block(Duration.ofSeconds(5)));

        assertEquals(1, finished.size());
        assertTrue(finished.get(0).interrupted());
    }

    @Test
    void thePromptGivenToTheObservationContextWhileSubscribingCarriesTheDefaultOptions() throws Exception {
        Prompt merged = new Prompt("hi", org.springframework.ai.chat.prompt.ChatOptions.builder()
                .model("gpt-4o-mini").temperature(0.3).maxTokens(200).build());
        Flux<String> provider = Flux.defer(() -> {
            tracker.onEnterCall(SpringAiInstrumentation.OBSERVED_PROMPT_KEY, new Object[] {merged});
            return Flux.just("Hello");
        });

        stream(provider).blockLast(Duration.ofSeconds(5));

        assertEquals(1, finished.size());
        assertSame(merged, finished.get(0).effectiveRequest());
        assertNull(tracker.onEnterCall(SpringAiInstrumentation.OBSERVED_PROMPT_KEY, new Object[] {merged}),
                "outside a Spring AI call the observation context is no call of its own");
        assertEquals(1, finished.size());
    }

    @Test
    void anSdkCallMadeWhileSubscribingIsNestedInTheStream() {
        Object[] sdkHandle = new Object[1];
        Flux<String> provider = Flux.defer(() -> {
            sdkHandle[0] = tracker.onEnter("create", "sdk request");
            return Flux.just("x");
        });
        Flux<String> observed = stream(provider);

        observed.blockLast(Duration.ofSeconds(5));

        assertNull(sdkHandle[0], "the SDK request started by the subscription is not recorded again");
        Object later = tracker.onEnter("create", "another request");
        assertNotNull(later, "outside the subscription an SDK call is recorded");
        assertSame(later, later);
    }
}
