package dev.voicetrace.agent.openai;

import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketInfo;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.TextFrames;

/**
 * OpenAI's Realtime API over a WebSocket: {@code /v1/realtime} on OpenAI's hosts and
 * {@code /openai/realtime} on Azure OpenAI's. Both the GA event names
 * ({@code response.output_audio.delta}) and the beta ones ({@code response.audio.delta}) are
 * understood. Audio appends and audio deltas are counted, never kept; transcript deltas are
 * skipped (the finished transcript comes with {@code response.done}).
 */
public final class OpenAiRealtimeProtocol implements SocketProtocol {

    static final String PROVIDER = "openai";

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public boolean matchesPath(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.equals("/v1/realtime") || p.equals("/openai/realtime");
    }

    @Override
    public Frame classify(CharSequence text, boolean sent) {
        int type = TextFrames.stringValueStart(text, "type", TextFrames.DISCRIMINATOR_WINDOW);
        if (type < 0) {
            return Frame.EVENT;
        }
        if (sent) {
            return TextFrames.valueIs(text, type, "input_audio_buffer.append") ? Frame.AUDIO : Frame.EVENT;
        }
        if (TextFrames.valueStartsWith(text, type, "response.")) {
            if (TextFrames.valueIs(text, type, "response.output_audio.delta")
                    || TextFrames.valueIs(text, type, "response.audio.delta")) {
                return Frame.AUDIO;
            }
            if (TextFrames.valueIs(text, type, "response.output_text.delta")
                    || TextFrames.valueIs(text, type, "response.text.delta")) {
                return Frame.OUTPUT_MARK;
            }
            if (TextFrames.valueIs(text, type, "response.output_audio_transcript.delta")
                    || TextFrames.valueIs(text, type, "response.audio_transcript.delta")
                    || TextFrames.valueIs(text, type, "response.function_call_arguments.delta")) {
                return Frame.SKIP;
            }
            return Frame.EVENT;
        }
        if (TextFrames.valueIs(text, type, "input_audio_buffer.committed")) {
            return Frame.TURN_EVENT;
        }
        if (TextFrames.valueIs(text, type, "rate_limits.updated")) {
            return Frame.SKIP;
        }
        return Frame.EVENT;
    }

    @Override
    public String audioField(boolean sent) {
        return sent ? "audio" : "delta";
    }

    @Override
    public SocketConversation newConversation(SocketInfo socket) {
        return new OpenAiRealtimeConversation(socket);
    }
}
