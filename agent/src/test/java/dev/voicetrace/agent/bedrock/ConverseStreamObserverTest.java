package dev.voicetrace.agent.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.awssdk.EventStreamStandIns.AppHandler;
import dev.voicetrace.agent.awssdk.EventStreamStandIns.EventPublisher;
import dev.voicetrace.agent.awssdk.EventStreamStandIns.ResponseHandler;
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

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final CallTracker tracker;

    ConverseStreamObserverTest() {
        OperationRegistry registry = new OperationRegistry();
        BedrockOperations.register(registry);
        tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    }

    private ResponseHandler start(AppHandler app, Object[] arguments) {
        arguments[1] = app;
        Object handle = tracker.onEnterCall(BedrockOperations.KEY_CONVERSE_STREAM, arguments);
        assertNotSame(app, arguments[1], "the handler is replaced");
        return (ResponseHandler) arguments[1];
    }

    @Test
    void eventsAreStreamItemsAndCompleteEndsTheCall() {
        AppHandler app = new AppHandler();
        Object[] arguments = {"request", null};
        ResponseHandler sdkSide = start(app, arguments);
        EventPublisher original = new EventPublisher(Function.identity());

        sdkSide.responseReceived("initial");
        sdkSide.onEventStream(original);
        assertNotSame(original, app.events, "the application subscribes through the observing step");
        assertEquals("start", app.events.emit("start"));
        assertEquals("delta", app.events.emit("delta"));
        assertTrue(finished.isEmpty());
        sdkSide.complete();

        assertEquals(List.of("response", "complete"), app.seen);
        assertEquals(1, finished.size());
        InFlightCall call = finished.get(0);
        assertEquals(List.of("start", "delta"), call.streamItems());
        assertFalse(call.interrupted());
        assertSame("request", call.request());
    }

    @Test
    void aCancelledSubscriptionIsAnInterruption() {
        AppHandler app = new AppHandler();
        ResponseHandler sdkSide = start(app, new Object[] {"request", null});
        sdkSide.onEventStream(new EventPublisher(Function.identity()));
        app.events.emit("start");
        app.events.onCancel.run();

        assertEquals(1, finished.size());
        assertTrue(finished.get(0).interrupted());
    }

    @Test
    void anErrorReachesTheApplicationAndFailsTheCall() {
        AppHandler app = new AppHandler();
        ResponseHandler sdkSide = start(app, new Object[] {"request", null});
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

    private static Object[] withHandler(Object[] arguments, ResponseHandler handler) {
        arguments[1] = handler;
        return arguments;
    }
}
