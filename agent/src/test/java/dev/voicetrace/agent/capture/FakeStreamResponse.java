package dev.voicetrace.agent.capture;

import java.util.stream.Stream;

/** Shaped like an SDK's streamed response (e.g. openai-java's StreamResponse). */
public interface FakeStreamResponse<T> extends AutoCloseable {
    Stream<T> stream();

    @Override
    void close();
}
