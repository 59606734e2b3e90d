package dev.voicetrace.agent.elevenlabs;

import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketInfo;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.TextFrames;

/**
 * ElevenLabs' multi-context text-to-speech socket,
 * {@code /v1/text-to-speech/{voice_id}/multi-stream-input}: several contexts on one socket, each
 * named by {@code context_id} on what is sent ({@code text} chunks, {@code flush},
 * {@code close_context}, {@code close_socket}) and by {@code contextId} on what arrives (base64
 * audio chunks, {@code isFinal}).
 */
public final class ElevenLabsMultiStreamInputProtocol implements SocketProtocol {

    private static final String PREFIX = "/v1/text-to-speech/";
    private static final String SUFFIX = "/multi-stream-input";

    @Override
    public String provider() {
        return ElevenLabsStreamInputProtocol.PROVIDER;
    }

    @Override
    public boolean matchesPath(String path) {
        return voiceOf(path) != null;
    }

    /** The voice id of a multi-stream-input path, or null when the path is not one. */
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
        // audio chunks carry the audio first; isFinal and errors carry none
        return TextFrames.stringValueStart(text, "audio", TextFrames.DISCRIMINATOR_WINDOW) >= 0 ? Frame.AUDIO
                : Frame.EVENT;
    }

    @Override
    public String audioField(boolean sent) {
        return "audio";
    }

    @Override
    public SocketConversation newConversation(SocketInfo socket) {
        return new ElevenLabsMultiStreamConversation(socket, voiceOf(socket.path));
    }
}
