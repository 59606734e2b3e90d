package dev.voicetrace.agent.capture;

import java.io.InputStream;

/** Shaped like an SDK's lazily parsed response (e.g. openai-java's HttpResponseFor). */
public interface FakeResponseFor<T> extends AutoCloseable {
    T parse();

    InputStream body();

    @Override
    void close();
}
