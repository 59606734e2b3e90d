package dev.voicetrace.agent.elevenlabs;

import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.TextFrames;

/**
 * What ElevenLabs' text-to-speech sockets share: a path {@code /v1/text-to-speech/{voice_id}/...}
 * whose last segment names the socket, JSON text chunks sent, base64 audio chunks received in
 * their {@code audio} field ahead of anything else in the message.
 */
abstract class ElevenLabsSpeechSocket implements SocketProtocol {

    static final String PROVIDER = "elevenlabs";
    private static final String PREFIX = "/v1/text-to-speech/";

    private final String suffix;

    ElevenLabsSpeechSocket(String suffix) {
        this.suffix = suffix;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public boolean matchesPath(String path) {
        return voiceOf(path) != null;
    }

    /** The voice id of this socket's path, or null when the path is not one of this socket's. */
    String voiceOf(String path) {
        if (path == null || !path.startsWith(PREFIX) || !path.endsWith(suffix)) {
            return null;
        }
        String voice = path.substring(PREFIX.length(), path.length() - suffix.length());
        return voice.isEmpty() || voice.indexOf('/') >= 0 ? null : voice;
    }

    @Override
    public Frame classify(CharSequence text, boolean sent) {
        if (sent) {
            return Frame.EVENT;
        }
        // an audio chunk carries its audio first; the final message and errors carry none
        return TextFrames.stringValueStart(text, "audio", TextFrames.DISCRIMINATOR_WINDOW) >= 0 ? Frame.AUDIO
                : Frame.EVENT;
    }

    @Override
    public String audioField(boolean sent) {
        return "audio";
    }
}
