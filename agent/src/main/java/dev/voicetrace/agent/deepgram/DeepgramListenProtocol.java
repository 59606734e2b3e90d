package dev.voicetrace.agent.deepgram;

import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketInfo;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.TextFrames;

/**
 * Deepgram's live transcription socket ({@code /v1/listen}): binary audio in, {@code Results}
 * (interim and final), {@code SpeechStarted}, {@code UtteranceEnd} and {@code Metadata} out. A
 * result with {@code speech_final} and an {@code UtteranceEnd} end the caller's utterance: the
 * listener's thread gets the new turn before the application sees them.
 */
public final class DeepgramListenProtocol implements SocketProtocol {

    static final String PROVIDER = "deepgram";
    private static final String IS_FINAL = "\"is_final\"";
    private static final String SPEECH_FINAL = "\"speech_final\"";

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public boolean matchesPath(String path) {
        return path.equals("/v1/listen") || path.equals("/v1/listen/");
    }

    @Override
    public Frame classify(CharSequence text, boolean sent) {
        int type = TextFrames.stringValueStart(text, "type", TextFrames.DISCRIMINATOR_WINDOW);
        if (sent) {
            return type >= 0 && TextFrames.valueIs(text, type, "KeepAlive") ? Frame.SKIP : Frame.EVENT;
        }
        if (type >= 0 && TextFrames.valueIs(text, type, "Results")) {
            if (TextFrames.booleanValue(text, IS_FINAL) == 0) {
                // an interim result: counted, its words come again in the final one
                return Frame.OUTPUT_MARK;
            }
            return TextFrames.booleanValue(text, SPEECH_FINAL) == 1 ? Frame.TURN_EVENT : Frame.EVENT;
        }
        if (type >= 0 && TextFrames.valueIs(text, type, "UtteranceEnd")) {
            return Frame.UTTERANCE_END;
        }
        return Frame.EVENT;
    }

    @Override
    public String audioField(boolean sent) {
        return null;
    }

    @Override
    public SocketConversation newConversation(SocketInfo socket) {
        return new DeepgramListenConversation(socket);
    }
}
