package dev.voicetrace.agent.deepgram;

import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketInfo;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.TextFrames;

/**
 * Deepgram's streaming text-to-speech socket ({@code /v1/speak}): {@code Speak} texts,
 * {@code Flush}, {@code Clear} and {@code Close} in; binary audio, {@code Metadata},
 * {@code Flushed}, {@code Cleared} and {@code Warning} out.
 */
public final class DeepgramSpeakProtocol implements SocketProtocol {

    @Override
    public String provider() {
        return DeepgramListenProtocol.PROVIDER;
    }

    @Override
    public boolean matchesPath(String path) {
        return path.equals("/v1/speak") || path.equals("/v1/speak/");
    }

    @Override
    public Frame classify(CharSequence text, boolean sent) {
        int type = TextFrames.stringValueStart(text, "type", TextFrames.DISCRIMINATOR_WINDOW);
        return type >= 0 && TextFrames.valueIs(text, type, "KeepAlive") ? Frame.SKIP : Frame.EVENT;
    }

    @Override
    public String audioField(boolean sent) {
        return null;
    }

    @Override
    public SocketConversation newConversation(SocketInfo socket) {
        return new DeepgramSpeakConversation(socket);
    }
}
