package dev.voicetrace.agent.assemblyai;

import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketInfo;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.TextFrames;
import java.util.Map;

/**
 * AssemblyAI's Universal-Streaming socket ({@code /v3/ws}): binary audio in; {@code Begin},
 * {@code Turn} (partial, then {@code end_of_turn}, then, with {@code format_turns}, the formatted
 * one) and {@code Termination} out. The turn's last message (the formatted one when formatting is
 * on) ends the caller's utterance. A {@code Turn} names its type last, after its words, so a turn's
 * end is found by a scan of the frame for two literals.
 */
public final class AssemblyAiStreamingProtocol implements SocketProtocol {

    static final String PROVIDER = "assemblyai";
    private static final String END_OF_TURN = "\"end_of_turn\"";
    private static final String FORMATTED = "\"turn_is_formatted\"";
    private final boolean formatTurns;

    public AssemblyAiStreamingProtocol() {
        this(false);
    }

    private AssemblyAiStreamingProtocol(boolean formatTurns) {
        this.formatTurns = formatTurns;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public boolean matchesPath(String path) {
        return path.equals("/v3/ws") || path.equals("/v3/ws/");
    }

    @Override
    public SocketProtocol forSocket(Map<String, String> query) {
        return new AssemblyAiStreamingProtocol("true".equalsIgnoreCase(query.get("format_turns")));
    }

    @Override
    public Frame classify(CharSequence text, boolean sent) {
        if (sent) {
            return Frame.EVENT;
        }
        if (TextFrames.booleanValue(text, END_OF_TURN) == 1) {
            boolean formatted = TextFrames.booleanValue(text, FORMATTED) == 1;
            return formatted == formatTurns ? Frame.TURN_EVENT : Frame.EVENT;
        }
        return Frame.EVENT;
    }

    @Override
    public String audioField(boolean sent) {
        return null;
    }

    @Override
    public SocketConversation newConversation(SocketInfo socket) {
        return new AssemblyAiStreamingConversation(socket, formatTurns);
    }
}
