package dev.voicetrace.agent.elevenlabs;

import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketInfo;

/**
 * ElevenLabs' multi-context text-to-speech socket,
 * {@code /v1/text-to-speech/{voice_id}/multi-stream-input}: several contexts on one socket, each
 * named by {@code context_id} on what is sent ({@code text} chunks, {@code flush},
 * {@code close_context}, {@code close_socket}) and by {@code contextId} on what arrives (base64
 * audio chunks, {@code isFinal}).
 */
public final class ElevenLabsMultiStreamInputProtocol extends ElevenLabsSpeechSocket {

    public ElevenLabsMultiStreamInputProtocol() {
        super("/multi-stream-input");
    }

    @Override
    public SocketConversation newConversation(SocketInfo socket) {
        return new ElevenLabsMultiStreamConversation(socket, voiceOf(socket.path));
    }
}
