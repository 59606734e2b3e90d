package dev.voicetrace.standin;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;

/** A one-shot answer queued by a test; consumed by the next request, whatever its path. */
interface ScriptedAnswer {

    MockResponse answer(RecordedCall call);

    static ScriptedAnswer status(int code, String body, Map<String, String> headers) {
        return call -> {
            MockResponse.Builder builder = new MockResponse.Builder().code(code).body(body == null ? "" : body);
            headers.forEach(builder::setHeader);
            return builder.build();
        };
    }

    static ScriptedAnswer delayed(Duration delay) {
        return call -> StandInAnswers.byDefault(call).newBuilder()
                .headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    static ScriptedAnswer rejectIds(Set<String> eventIds) {
        Set<String> ids = Set.copyOf(eventIds);
        return call -> StandInAnswers.ingestion(call, (index, id) -> ids.contains(id));
    }

    static ScriptedAnswer rejectFirst(int count) {
        return call -> StandInAnswers.ingestion(call, (index, id) -> index < count);
    }

    /**
     * Reads the whole request (so it is recorded), then closes the socket instead of answering:
     * the client cannot tell whether the server processed it, the case retries must handle.
     */
    static ScriptedAnswer disconnect() {
        return call -> new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket())
                .build();
    }

    /**
     * Reads the whole request (so it is recorded), then never answers: the connection stays open
     * and silent until the stand-in is closed. Only the client's own timeout ends the wait; the
     * client cannot tell whether the server processed the request.
     */
    static ScriptedAnswer blackHole() {
        return call -> new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build();
    }
}
