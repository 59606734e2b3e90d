package dev.voicetrace.agent.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.model.StageRecord;
import java.util.function.Consumer;

/**
 * The state of one vendor socket on the processing thread: fed the frames its protocol kept, in
 * the order they were sent and received, it finishes stage records. It holds what the open
 * observations need (counts, ids, the latest transcript), never a log of every frame.
 */
public interface SocketConversation {

    /**
     * A kept text frame, parsed.
     *
     * @param message the frame's JSON object
     * @param out receives finished records, in the order they are to be linked
     */
    void onMessage(SocketEvent event, JsonNode message, Consumer<StageRecord> out);

    /** The first audio received after a kept sent frame ({@link SocketEvent.Kind#AUDIO_STARTED}). */
    default void onAudioStarted(SocketEvent event, Consumer<StageRecord> out) {}

    /**
     * The socket closed, failed or was aborted ({@link SocketEvent#kind}), or the agent is
     * stopping: open observations end now, as {@code interrupted} or with the failure as error.
     */
    void onEnd(SocketEvent event, Consumer<StageRecord> out);
}
