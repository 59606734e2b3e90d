package dev.voicetrace.agent.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.pipeline.RecordWork;
import dev.voicetrace.agent.openai.OpenAiRealtimeProtocol;
import dev.voicetrace.bootstrap.SocketFrames;
import dev.voicetrace.bootstrap.SocketHooks;
import dev.voicetrace.bootstrap.TraceContext;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JDK client's openings routed by host and path, and the listener that observes and forwards. */
class JdkWebSocketsTest {

    private final List<RecordWork> queued = new ArrayList<>();
    private final OperationRegistry registry = new OperationRegistry();
    private final CallTracker tracker;

    JdkWebSocketsTest() {
        SocketEndpoints endpoints = new SocketEndpoints().add("api.openai.com,*.openai.azure.com,127.0.0.1:8123",
                new OpenAiRealtimeProtocol());
        JdkWebSockets.register(registry, new SocketRuntime(endpoints, queued::add, true));
        tracker = new CallTracker(registry, call -> { }, new ContextSessionReader("sessionId"), true, false);
    }

    @AfterEach
    void clearContext() {
        TraceContext.set(null);
    }

    /** What the application's listener did, and what it returns. */
    private static final class AppListener implements WebSocket.Listener {
        final List<String> seen = new ArrayList<>();
        final CompletableFuture<Void> stage = new CompletableFuture<>();
        RuntimeException toThrow;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            seen.add(data + (last ? "" : "…"));
            if (toThrow != null) {
                throw toThrow;
            }
            return stage;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            seen.add("binary " + data.remaining());
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            seen.add("close " + statusCode);
            return stage;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            seen.add("error " + error.getMessage());
        }
    }

    private Object[] open(String uri, WebSocket.Listener listener) {
        Object[] arguments = {URI.create(uri), listener};
        Object handle = tracker.onEnterCall(JdkWebSockets.KEY, arguments);
        if (handle != null) {
            tracker.onExit(handle, new CompletableFuture<WebSocket>(), null);
        }
        return arguments;
    }

    @Test
    void onlyVendorSocketsAreObserved() {
        AppListener app = new AppListener();
        assertSame(app, open("wss://example.com/v1/realtime", app)[1], "another host");
        assertSame(app, open("wss://api.openai.com/v1/chat", app)[1], "another path");
        assertSame(app, open("ws://127.0.0.1:9000/v1/realtime", app)[1], "another port");
        assertTrue(open("wss://api.openai.com/v1/realtime?model=gpt-realtime", app)[1] instanceof SocketFrames);
        assertTrue(open("wss://eastus.openai.azure.com/openai/realtime?deployment=gpt-realtime", app)[1]
                instanceof SocketFrames);
        assertTrue(open("ws://127.0.0.1:8123/v1/realtime", app)[1] instanceof SocketFrames);
        assertTrue(queued.isEmpty(), "opening queues nothing");
        // the send advice's hook ignores any listener that is not the agent's
        SocketHooks.sendText(app, "{\"type\":\"session.update\",\"session\":{}}", true);
        SocketHooks.sendBinary(app, ByteBuffer.allocate(10));
        assertTrue(queued.isEmpty());
    }

    @Test
    void theApplicationsListenerSeesEverythingAndItsResultsAndExceptionsStand() throws Exception {
        AppListener app = new AppListener();
        WebSocket.Listener observing = (WebSocket.Listener) open("wss://api.openai.com/v1/realtime", app)[1];
        assertSame(app.stage, observing.onText(null, "{\"type\":\"response.created\",\"response\":{\"id\":\"r1\"}}", true));
        assertSame(app.stage, observing.onText(null, "{\"type\":\"resp", false));
        assertSame(app.stage, observing.onText(null, "onse.done\",\"response\":{\"id\":\"r1\",\"status\":\"completed\"}}",
                true));
        assertNull(observing.onBinary(null, ByteBuffer.allocate(320), true));
        app.toThrow = new IllegalStateException("the application's bug");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> observing.onText(null, "not json", true));
        assertSame(app.toThrow, thrown);
        app.toThrow = null;
        SocketHooks.sendText(observing, "{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA\"}", true);
        assertSame(app.stage, observing.onClose(null, 1000, "bye"));
        observing.onError(null, new java.io.IOException("late"));
        assertEquals(List.of("{\"type\":\"response.created\",\"response\":{\"id\":\"r1\"}}", "{\"type\":\"resp…",
                "onse.done\",\"response\":{\"id\":\"r1\",\"status\":\"completed\"}}", "binary 320", "not json", "close 1000",
                "error late"), app.seen);

        // created, done (reassembled), the malformed frame, the close; the later error is the same end
        assertEquals(4, queued.size());
        List<StageRecord> records = new ArrayList<>();
        for (RecordWork work : queued) {
            work.run(records::add);
        }
        assertEquals(1, records.size());
        assertEquals("r1", records.get(0).metadata.get("response_id"));
        assertNotNull(records.get(0).contextSessionId);
    }

    @Test
    void theOpeningThreadsSessionWins() {
        TraceContext.set(new TraceContext("support-call-7", 0));
        WebSocket.Listener observing = (WebSocket.Listener) open("wss://api.openai.com/v1/realtime", new AppListener())[1];
        observing.onText(null, "{\"type\":\"response.created\",\"response\":{\"id\":\"r1\"}}", true);
        observing.onText(null, "{\"type\":\"response.done\",\"response\":{\"id\":\"r1\",\"status\":\"completed\"}}", true);
        List<StageRecord> records = new ArrayList<>();
        for (RecordWork work : queued) {
            work.run(records::add);
        }
        assertEquals("support-call-7", records.get(0).contextSessionId);
    }
}
