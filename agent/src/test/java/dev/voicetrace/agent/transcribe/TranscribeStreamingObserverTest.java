package dev.voicetrace.agent.transcribe;

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
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.bootstrap.TraceContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * startStreamTranscription's arguments replaced as the advice does it, with stand-ins of the
 * SDK's audio publisher, its subscriber, {@code AudioEvent} and {@code SdkBytes}, and the
 * response handler and its event publisher.
 */
class TranscribeStreamingObserverTest {

    /** Stands for Publisher&lt;AudioStream&gt;. */
    public interface AudioPublisher {
        void subscribe(Subscriber<Object> subscriber);
    }

    /** Stands for SdkBytes: a read-only view of its bytes. */
    public static final class Bytes {
        private final byte[] bytes;

        Bytes(int length) {
            bytes = new byte[length];
        }

        public ByteBuffer asByteBuffer() {
            return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }
    }

    /** Stands for AudioEvent. */
    public static final class AudioEvent {
        private final Bytes chunk;

        AudioEvent(int length) {
            chunk = new Bytes(length);
        }

        public Bytes audioChunk() {
            return chunk;
        }
    }

    /** The application's publisher: emits its events to whoever subscribes. */
    static final class AppPublisher implements AudioPublisher {
        final List<Object> events;
        Subscriber<Object> subscribed;

        AppPublisher(List<Object> events) {
            this.events = events;
        }

        @Override
        public void subscribe(Subscriber<Object> subscriber) {
            subscribed = subscriber;
        }

        void emitAll() {
            events.forEach(subscribed::onNext);
            subscribed.onComplete();
        }
    }

    /** The SDK's side: what it received from the application's publisher. */
    static final class SdkSubscriber implements Subscriber<Object> {
        final List<Object> received = new ArrayList<>();
        boolean completed;

        @Override
        public void onSubscribe(Subscription subscription) {}

        @Override
        public void onNext(Object item) {
            received.add(item);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final CallTracker tracker;

    TranscribeStreamingObserverTest() {
        OperationRegistry registry = new OperationRegistry();
        TranscribeStreamingOperations.register(registry);
        tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    }

    @AfterEach
    void clearContext() {
        TraceContext.set(null);
    }

    @Test
    void audioChunksAreCountedAsTheSdkPullsThemAndEventsAreStreamItems() {
        AppPublisher audio = new AppPublisher(List.of(new AudioEvent(3200), new AudioEvent(3200),
                new AudioEvent(1600)));
        AppHandler app = new AppHandler();
        Object[] arguments = {"request", audio, app};
        tracker.onEnterCall(TranscribeStreamingOperations.KEY, arguments);
        assertNotSame(audio, arguments[1], "the audio publisher is replaced");
        assertNotSame(app, arguments[2], "the response handler is replaced");
        assertTrue(TraceContext.current().turnAnchor != 0, "a transcription starts a turn");

        SdkSubscriber sdk = new SdkSubscriber();
        ((AudioPublisher) arguments[1]).subscribe(sdk);
        assertNotSame(sdk, audio.subscribed, "the SDK's subscriber is observed");
        audio.emitAll();
        assertEquals(audio.events, sdk.received, "the SDK gets the application's events unchanged");
        assertTrue(sdk.completed);

        ResponseHandler sdkSide = (ResponseHandler) arguments[2];
        sdkSide.responseReceived("initial response");
        sdkSide.onEventStream(new EventPublisher(Function.identity()));
        assertEquals("partial", app.events.emit("partial"));
        assertEquals("final", app.events.emit("final"));
        assertTrue(finished.isEmpty());
        sdkSide.complete();

        assertEquals(List.of("response", "complete"), app.seen);
        assertEquals(1, finished.size());
        InFlightCall call = finished.get(0);
        assertEquals(StageKind.STT, call.spec().kind);
        assertEquals(8000, call.requestContentBytes());
        assertEquals(List.of("partial", "final"), call.streamItems());
        assertEquals("initial response", call.response());
        assertFalse(call.interrupted());
        assertSame("request", call.request());
    }

    @Test
    void aCancelledEventSubscriptionEndsTheCallAsInterrupted() {
        AppHandler app = new AppHandler();
        Object[] arguments = {"request", new AppPublisher(List.of()), app};
        tracker.onEnterCall(TranscribeStreamingOperations.KEY, arguments);
        ((ResponseHandler) arguments[2]).onEventStream(new EventPublisher(Function.identity()));
        app.events.emit("partial");
        app.events.onCancel.run();

        assertEquals(1, finished.size());
        assertTrue(finished.get(0).interrupted());
        assertEquals(List.of("partial"), finished.get(0).streamItems());
    }

    @Test
    void itemsWithoutAnAudioChunkCountNothing() {
        assertEquals(0, TranscribeStreamingObserver.chunkSize("not an audio event"));
        assertEquals(640, TranscribeStreamingObserver.chunkSize(new AudioEvent(640)));
    }

    @Test
    void anExceptionEventFailsTheCall() {
        AppHandler app = new AppHandler();
        Object[] arguments = {"request", new AppPublisher(List.of()), app};
        tracker.onEnterCall(TranscribeStreamingOperations.KEY, arguments);
        ((ResponseHandler) arguments[2]).exceptionOccurred(new IllegalArgumentException("BadRequestException"));

        assertEquals(List.of("error BadRequestException"), app.seen);
        assertEquals(1, finished.size());
        assertEquals("BadRequestException", finished.get(0).error().getMessage());
        assertEquals(-1, finished.get(0).requestContentBytes(), "no audio was pulled");
    }
}
