package dev.voicetrace.agent.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * converseStream's handler argument replaced as the advice does it (through the general AWS
 * event-stream handler observer), with stand-ins of the SDK's
 * handler interface and publisher (its {@code map} and {@code doAfterOnCancel} operators).
 */
class ConverseStreamObserverTest {

    /** Stands for ConverseStreamResponseHandler. */
    public interface Handler {
        void responseReceived(Object response);

        void onEventStream(Object publisher);

        void exceptionOccurred(Throwable error);

        void complete();
    }

    /** Stands for SdkPublisher: emits to its subscriber through the operators applied to it. */
    public static final class Publisher {
        final Function<Object, Object> mapping;
        Runnable onCancel;

        Publisher(Function<Object, Object> mapping) {
            this.mapping = mapping;
        }

        public Publisher map(Function<Object, Object> next) {
            return new Publisher(mapping.andThen(next));
        }

        public Publisher doAfterOnCancel(Runnable action) {
            Publisher publisher = new Publisher(mapping);
            publisher.onCancel = action;
            return publisher;
        }

        Object emit(Object event) {
            return mapping.apply(event);
        }
    }

    /** The application's handler: keeps the publisher it was given and what the SDK told it. */
    static final class AppHandler implements Handler {
        Publisher publisher;
        final List<String> seen = new ArrayList<>();

        @Override
        public void responseReceived(Object response) {
            seen.add("response");
        }

        @Override
        public void onEventStream(Object publisher) {
            this.publisher = (Publisher) publisher;
        }

        @Override
        public void exceptionOccurred(Throwable error) {
            seen.add("error " + error.getMessage());
        }

        @Override
        public void complete() {
            seen.add("complete");
        }
    }

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final CallTracker tracker;

    ConverseStreamObserverTest() {
        OperationRegistry registry = new OperationRegistry();
        BedrockOperations.register(registry);
        tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    }

    private Handler start(AppHandler app, Object[] arguments) {
        arguments[1] = app;
        Object handle = tracker.onEnterCall(BedrockOperations.KEY_CONVERSE_STREAM, arguments);
        assertNotSame(app, arguments[1], "the handler is replaced");
        return (Handler) arguments[1];
    }

    @Test
    void eventsAreStreamItemsAndCompleteEndsTheCall() {
        AppHandler app = new AppHandler();
        Object[] arguments = {"request", null};
        Handler sdkSide = start(app, arguments);
        Publisher original = new Publisher(Function.identity());

        sdkSide.responseReceived("initial");
        sdkSide.onEventStream(original);
        assertNotSame(original, app.publisher, "the application subscribes through the observing step");
        assertEquals("start", app.publisher.emit("start"));
        assertEquals("delta", app.publisher.emit("delta"));
        assertTrue(finished.isEmpty());
        sdkSide.complete();

        assertEquals(List.of("response", "complete"), app.seen);
        assertEquals(1, finished.size());
        InFlightCall call = finished.get(0);
        assertEquals(List.of("start", "delta"), call.streamItems());
        assertFalse(call.interrupted());
        assertSame("request", ((Object[]) call.request())[0]);
    }

    @Test
    void aCancelledSubscriptionIsAnInterruption() {
        AppHandler app = new AppHandler();
        Handler sdkSide = start(app, new Object[] {"request", null});
        sdkSide.onEventStream(new Publisher(Function.identity()));
        app.publisher.emit("start");
        app.publisher.onCancel.run();

        assertEquals(1, finished.size());
        assertTrue(finished.get(0).interrupted());
    }

    @Test
    void anErrorReachesTheApplicationAndFailsTheCall() {
        AppHandler app = new AppHandler();
        Handler sdkSide = start(app, new Object[] {"request", null});
        sdkSide.exceptionOccurred(new IllegalStateException("ThrottlingException"));

        assertEquals(List.of("error ThrottlingException"), app.seen);
        assertEquals(1, finished.size());
        assertEquals("ThrottlingException", finished.get(0).error().getMessage());
    }

    @Test
    void theApplicationKeepsItsFutureAndAFailedRequestEndsTheCall() {
        AppHandler app = new AppHandler();
        Object[] arguments = {"request", null};
        Object handle = tracker.onEnterCall(BedrockOperations.KEY_CONVERSE_STREAM, withHandler(arguments, app));
        CompletableFuture<Void> future = new CompletableFuture<>();
        assertSame(future, tracker.onExit(handle, future, null));
        future.completeExceptionally(new IllegalStateException("connection refused"));

        assertEquals(1, finished.size());
        assertEquals("connection refused", finished.get(0).error().getMessage());
    }

    private static Object[] withHandler(Object[] arguments, Handler handler) {
        arguments[1] = handler;
        return arguments;
    }
}
