package dev.voicetrace.agent.capture;

/** Where finished calls go. Implementations must never block the calling thread. */
public interface CallSink {
    void accept(InFlightCall call);
}
