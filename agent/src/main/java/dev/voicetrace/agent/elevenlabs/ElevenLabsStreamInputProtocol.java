package dev.voicetrace.agent.elevenlabs;

import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketInfo;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.TextFrames;

/**
 * ElevenLabs' input-streaming text-to-speech socket,
 * {@code /v1/text-to-speech/{voice_id}/stream-input}: text chunks in (the first a single space
 * with the settings, a {@code flush} or the closing empty text ending a generation), base64 audio
 * chunks out, {@code isFinal} at the end.
 */
public final class ElevenLabsStreamInputProtocol implements SocketProtocol {

    static final String PROVIDER = "elevenlabs";
    private static final String PREFIX = "/v1/text-to-speech/";
    private static final String SUFFIX = "/stream-input";

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public boolean matchesPath(String path) {
        return voiceOf(path) != null;
    }

    /** The voice id of a stream-input path, or null when the path is not one. */
    static String voiceOf(String path) {
        if (path == null || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
            return null;
        }
        String voice = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
        return voice.isEmpty() || voice.indexOf('/') >= 0 ? null : voice;
    }

    @Override
    public Frame classify(CharSequence text, boolean sent) {
        if (sent) {
            return Frame.EVENT;
        }
        // audio chunks carry the audio first, then the alignment; the last message has none
        return TextFrames.stringValueStart(text, "audio", TextFrames.DISCRIMINATOR_WINDOW) >= 0 ? Frame.AUDIO
                : Frame.EVENT;
    }

    @Override
    public String audioField(boolean sent) {
        return "audio";
    }

    @Override
    public SocketConversation newConversation(SocketInfo socket) {
        return new ElevenLabsStreamInputConversation(socket, voiceOf(socket.path));
    }
}
