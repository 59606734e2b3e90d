package dev.voicetrace.agent.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.bootstrap.ContextPropagation;
import dev.voicetrace.bootstrap.ReactorPropagation;
import dev.voicetrace.bootstrap.TraceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reactor's operators with the agent's hook registered as the {@code Hooks} advice registers it,
 * without the executor advice (no agent here): what is shown is the signal path alone, signals
 * emitted by threads that never had the subscriber's context.
 */
class ReactorPropagationTest {

    /** Emits the sources' values: a thread that never has a context, as a Netty event loop. */
    private static ExecutorService emitter;

    @BeforeAll
    static void registerHook() {
        ContextPropagation.enable("sessionId");
        assertTrue(ReactorPropagation.install(Hooks.class), () -> "hook not registered: "
                + ReactorPropagation.installFailure());
        emitter = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "bare-emitter"));
    }

    @AfterAll
    static void removeHook() {
        Hooks.resetOnEachOperator(ReactorPropagation.HOOK_KEY);
        emitter.shutdownNow();
        ContextPropagation.disable();
    }

    @BeforeEach
    @AfterEach
    void noContext() {
        TraceContext.set(null);
    }

    /** A value emitted later by the bare emitter thread, as a client library's callback would. */
    private static Mono<String> emittedLater(String value) {
        return Mono.create(sink -> emitter.execute(() -> {
            sleep(2);
            sink.success(value);
        }));
    }

    @Test
    void theContextOfTheSubscriptionIsCurrentInOnNextOnTheEmittingThreadAndAfterPublishOn() {
        TraceContext call = new TraceContext("call-1", 7);
        AtomicReference<TraceContext> onEmitter = new AtomicReference<>();
        AtomicReference<String> emitterThread = new AtomicReference<>();
        Mono<TraceContext> pipeline = emittedLater("hello")
                .doOnNext(v -> {
                    onEmitter.set(TraceContext.current());
                    emitterThread.set(Thread.currentThread().getName());
                })
                .publishOn(Schedulers.parallel())
                .map(v -> current());
        TraceContext.set(call);
        CompletableFuture<TraceContext> result = pipeline.toFuture();
        TraceContext.set(null);

        assertSame(call, result.join(), "after publishOn, on a parallel worker");
        assertSame(call, onEmitter.get(), "on the thread that emitted");
        assertEquals("bare-emitter", emitterThread.get());
        assertNull(runOnEmitter(TraceContext::current), "the emitting thread keeps no context afterwards");
    }

    @Test
    void anUnrelatedSubscriberOnTheSameWorkerSeesNoContext() {
        Scheduler worker = Schedulers.newSingle("shared-worker");
        try {
            TraceContext call = new TraceContext("call-2", 3);
            TraceContext.set(call);
            TraceContext inCall = emittedLater("a").publishOn(worker).map(v -> current()).toFuture().join();
            TraceContext.set(null);
            // Subscribed without a context: the same worker thread runs its signals next.
            AtomicReference<String> workerThread = new AtomicReference<>();
            TraceContext unrelated = emittedLater("b").publishOn(worker)
                    .doOnNext(v -> workerThread.set(Thread.currentThread().getName()))
                    .map(v -> current()).toFuture().join();

            assertSame(call, inCall);
            assertSame(NONE, unrelated, "no conversation leaks into an unrelated subscriber");
            assertTrue(workerThread.get().startsWith("shared-worker"), workerThread::get);
            assertSame(NONE, Mono.fromCallable(ReactorPropagationTest::current).subscribeOn(worker).block(),
                    "the worker thread keeps no context between signals");
        } finally {
            worker.dispose();
        }
    }

    @Test
    void errorsAndCompletionRunInTheContextToo() {
        TraceContext call = new TraceContext("call-3", 1);
        AtomicReference<TraceContext> onError = new AtomicReference<>();
        AtomicReference<TraceContext> onComplete = new AtomicReference<>();
        Mono<String> failing = emittedLater("x").publishOn(Schedulers.parallel())
                .<String>flatMap(v -> Mono.error(new IllegalStateException("vendor down")))
                .doOnError(e -> onError.set(TraceContext.current()));
        Mono<String> empty = emittedLater("y").publishOn(Schedulers.parallel()).filter(v -> false)
                .doOnSuccess(v -> onComplete.set(TraceContext.current()));
        TraceContext.set(call);
        CompletableFuture<String> failed = failing.toFuture();
        CompletableFuture<String> completed = empty.toFuture();
        TraceContext.set(null);

        assertTrue(failed.handle((v, e) -> e).join().getMessage().contains("vendor down"),
                "the application gets its exception unchanged");
        assertNull(completed.join());
        assertSame(call, onError.get());
        assertSame(call, onComplete.get());
    }

    /**
     * Many subscriptions at once, each in its own context, their values emitted in shuffled order
     * by one bare thread, hopping through {@code publishOn} on shared workers and a timer
     * ({@code delayElement}): every value is seen in its own subscription's context, and none in another's.
     */
    @Test
    void concurrentSubscriptionsEachKeepTheirOwnContext() throws Exception {
        int subscriptions = 400;
        List<Sinks.One<Integer>> sinks = new ArrayList<>();
        for (int i = 0; i < subscriptions; i++) {
            sinks.add(Sinks.one());
        }
        ExecutorService subscribers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<CompletableFuture<TraceContext[]>>> subscribed = new ArrayList<>();
            for (int i = 0; i < subscriptions; i++) {
                int index = i;
                subscribed.add(CompletableFuture.supplyAsync(() -> {
                    TraceContext.set(new TraceContext("call-" + index, index));
                    try {
                        return sinks.get(index).asMono()
                                .publishOn(Schedulers.parallel())
                                .map(v -> current())
                                .delayElement(Duration.ofMillis(1))
                                .publishOn(Schedulers.boundedElastic())
                                .map(afterHop -> new TraceContext[] {afterHop, current()})
                                .toFuture();
                    } finally {
                        TraceContext.set(null);
                    }
                }, subscribers));
            }
            List<CompletableFuture<TraceContext[]>> results = new ArrayList<>();
            for (CompletableFuture<CompletableFuture<TraceContext[]>> s : subscribed) {
                results.add(s.get(30, TimeUnit.SECONDS));
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < subscriptions; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new java.util.Random(17));
            emitter.submit(() -> order.forEach(i -> sinks.get(i).tryEmitValue(i))).get(30, TimeUnit.SECONDS);

            int attributed = 0;
            for (int i = 0; i < subscriptions; i++) {
                TraceContext[] seen = results.get(i).get(30, TimeUnit.SECONDS);
                String expected = "call-" + i;
                assertEquals(expected, seen[0].sessionId, "after publishOn(parallel)");
                assertEquals(expected, seen[1].sessionId, "after delayElement and publishOn(boundedElastic)");
                attributed++;
            }
            assertEquals(subscriptions, attributed);
        } finally {
            subscribers.shutdownNow();
        }
    }

    @Test
    void aSubscriptionWithoutContextIsLeftAsItIs() {
        AtomicReference<TraceContext> seen = new AtomicReference<>(new TraceContext("sentinel", 0));
        emittedLater("z").publishOn(Schedulers.parallel()).doOnNext(v -> seen.set(TraceContext.current()))
                .toFuture().join();
        assertNull(seen.get());
    }

    /** A marker for "no context", as a map's value cannot be null. */
    private static final TraceContext NONE = new TraceContext("none", 0);

    private static TraceContext current() {
        TraceContext context = TraceContext.current();
        return context == null ? NONE : context;
    }

    private static TraceContext runOnEmitter(java.util.concurrent.Callable<TraceContext> task) {
        try {
            return emitter.submit(task).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
