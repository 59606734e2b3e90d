package dev.voicetrace.agent.capture;

import dev.voicetrace.bootstrap.TurnIdentity;

/** Makes the ids of a turn when its transcription starts, on the application thread. */
public interface TurnIdentities {

    /**
     * The ids of a turn that a transcription opens; {@code callSource} is the intercepted call's
     * request or first argument (its class loader tells which application classes are visible).
     */
    TurnIdentity newTurn(Object callSource);
}
