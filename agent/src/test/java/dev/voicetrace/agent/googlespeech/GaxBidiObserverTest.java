package dev.voicetrace.agent.googlespeech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.bootstrap.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gax bidirectional-stream observer on stand-ins of gax's interfaces and the speech messages:
 * what the application sees is unchanged, a speech stream becomes one STT call, any other stream
 * is passed through and never recorded.
 */
class GaxBidiObserverTest {

    /** Stands for gax's ResponseObserver. */
    public interface ResponseObserver<V> {
        void onStart(StreamController controller);

        void onResponse(V response);

        void onError(Throwable t);

        void onComplete();
    }

    /** Stands for gax's StreamController. */
    public interface StreamController {
        void cancel();
    }

    /** Stands for gax's ClientStream. */
    public interface ClientStream<V> {
        void send(V request);

        void closeSend();
    }

    /** Stands for gax's ClientStreamReadyObserver. */
    public interface ReadyObserver<V> {
        void onReady(ClientStream<V> stream);
    }

    static final class AppObserver implements ResponseObserver<Object> {
        final List<Object> received = new ArrayList<>();
        boolean completed;
        StreamController controller;

        @Override
        public void onStart(StreamController controller) {
            this.controller = controller;
        }

        @Override
        public void onResponse(Object response) {
            received.add(response);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    static final class Transport implements ClientStream<Object>, StreamController {
        final List<Object> sent = new ArrayList<>();
        boolean halfClosed;
        boolean cancelled;

        @Override
        public void send(Object request) {
            sent.add(request);
        }

        @Override
        public void closeSend() {
            halfClosed = true;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final CallTracker tracker;

    @AfterEach
    void clearContext() {
        TraceContext.set(null);
    }

    GaxBidiObserverTest() {
        OperationRegistry registry = new OperationRegistry();
        GoogleSpeechOperations.register(registry);
        tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    }

    /** What {@code internalCall} does with the agent's advice around it. */
    @SuppressWarnings("unchecked")
    private ClientStream<Object> open(AppObserver app, Transport transport, Object[] arguments) {
        arguments[0] = app;
        Object handle = tracker.onEnterCall(GoogleSpeechOperations.BIDI_KEY, arguments);
        return (ClientStream<Object>) tracker.onExit(handle, transport, null);
    }

    @SuppressWarnings("unchecked")
    @Test
    void aRecognitionStreamIsOneSttCallWithItsInterimAndFinalResults() throws Exception {
        AppObserver app = new AppObserver();
        Transport transport = new Transport();
        Object[] arguments = new Object[3];
        ClientStream<Object> stream = open(app, transport, arguments);
        assertNotSame(transport, stream, "the returned stream is observed");
        ResponseObserver<Object> seen = (ResponseObserver<Object>) arguments[0];
        assertNotSame(app, seen, "the response observer is observed");

        seen.onStart(transport);
        stream.send(StreamingRecognizeRequest.config("en-US", 16_000, true));
        for (int i = 0; i < 4; i++) {
            stream.send(StreamingRecognizeRequest.audio(3200));
        }
        seen.onResponse(StreamingRecognizeResponse.interim("book a"));
        seen.onResponse(StreamingRecognizeResponse.interim("book a table"));
        stream.closeSend();
        assertTrue(finished.isEmpty(), "the call ends with the response stream");
        seen.onResponse(StreamingRecognizeResponse.fin("Book a table.", 0.95f, 1));
        seen.onComplete();

        assertEquals(5, transport.sent.size(), "every request reaches the transport");
        assertTrue(transport.halfClosed);
        assertEquals(3, app.received.size(), "every response reaches the application");
        assertTrue(app.completed);
        assertEquals(1, finished.size());

        InFlightCall call = finished.get(0);
        StageRecord record = new StageRecord();
        record.kind = call.spec().kind;
        new GoogleSpeechExtractor().extract(call, record);
        assertEquals(StageKind.STT, record.kind);
        assertEquals("google-speech", record.provider);
        assertEquals("speech.v1.StreamingRecognize", record.operation);
        assertEquals("google-speech-v1/latest_long", record.model);
        assertEquals("Book a table.", record.outputText);
        assertEquals(2, record.output.get("partial_results").asInt());
        assertEquals(12_800, record.input.path("audio").path("bytes").asLong());
        assertEquals("4", record.metadata.get("audio_chunks"));
        assertEquals(true, record.modelParameters.get("interim_results"));
        assertEquals(1.0, record.audioSeconds, 1e-9, "the billed second");
        assertEquals(call.streamItemTime(0), record.firstOutputEpochNanos, "the first interim result");
        assertFalse(call.interrupted());
        // like any transcription, the stream started a turn in the sending thread's context
        assertTrue(record.contextTurnAnchor != 0);
        assertEquals(record.contextTurnAnchor, TraceContext.current().turnAnchor,
                "calls made after it on this thread join its turn");
    }

    @SuppressWarnings("unchecked")
    @Test
    void aStreamOfAnotherApiIsPassedThroughAndNeverRecorded() {
        AppObserver app = new AppObserver();
        Transport transport = new Transport();
        Object[] arguments = new Object[3];
        ClientStream<Object> stream = open(app, transport, arguments);
        ResponseObserver<Object> seen = (ResponseObserver<Object>) arguments[0];
        stream.send("a Pub/Sub pull request");
        seen.onResponse("a message");
        seen.onResponse(StreamingRecognizeResponse.interim("looks like speech, but the stream is not"));
        seen.onComplete();
        assertEquals(List.of("a Pub/Sub pull request"), transport.sent);
        assertEquals(2, app.received.size());
        assertTrue(app.completed);
        assertTrue(finished.isEmpty(), "a foreign stream is not recorded");
        assertNull(TraceContext.current(), "and starts no turn");
    }

    @SuppressWarnings("unchecked")
    @Test
    void theReadyObserversStreamIsObservedAndACancelIsAnInterruption() {
        AppObserver app = new AppObserver();
        Transport transport = new Transport();
        List<ClientStream<Object>> ready = new ArrayList<>();
        ReadyObserver<Object> onReady = ready::add;
        Object[] arguments = {null, onReady, null};
        open(app, transport, arguments);
        ((ReadyObserver<Object>) arguments[1]).onReady(transport);
        ClientStream<Object> stream = ready.get(0);
        assertNotSame(transport, stream, "the stream handed to onReady is observed");
        ResponseObserver<Object> seen = (ResponseObserver<Object>) arguments[0];
        seen.onStart(transport);
        stream.send(StreamingRecognizeRequest.config("en-US", 16_000, false));
        stream.send(StreamingRecognizeRequest.audio(1600));
        app.controller.cancel();
        seen.onError(new java.util.concurrent.CancellationException("cancelled by the application"));

        assertTrue(transport.cancelled, "the cancel reaches the transport");
        assertEquals(1, finished.size());
        assertTrue(finished.get(0).interrupted());
        assertEquals(null, finished.get(0).error(), "a cancel by the application is no failure");
    }

    @Test
    void equalsOnAProxyIsIdentity() {
        AppObserver app = new AppObserver();
        Object[] arguments = new Object[3];
        ClientStream<Object> stream = open(app, new Transport(), arguments);
        assertTrue(stream.equals(stream));
        assertFalse(arguments[0].equals(app));
        assertSame(arguments[0], arguments[0]);
    }
}
