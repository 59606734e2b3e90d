package dev.voicetrace.agent.elevenlabs;

import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketInfo;

/**
 * ElevenLabs' input-streaming text-to-speech socket,
 * {@code /v1/text-to-speech/{voice_id}/stream-input}: text chunks in (the first a single space
 * with the settings, a {@code flush} or the closing empty text ending a generation), base64 audio
 * chunks out, {@code isFinal} at the end.
 */
public final class ElevenLabsStreamInputProtocol extends ElevenLabsSpeechSocket {

    public ElevenLabsStreamInputProtocol() {
        super("/stream-input");
    }

    @Override
    public SocketConversation newConversation(SocketInfo socket) {
        return new ElevenLabsStreamInputConversation(socket, voiceOf(socket.path));
    }
}
