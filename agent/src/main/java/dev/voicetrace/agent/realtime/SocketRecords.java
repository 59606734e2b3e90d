package dev.voicetrace.agent.realtime;

import dev.voicetrace.agent.http.SpeechWire;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Map;

/** What every vendor's socket records share: the session and turn they belong to, the socket's facts. */
public final class SocketRecords {

    private SocketRecords() {}

    /**
     * A record of a socket's observation. The session is the sending thread's (for speech sent on
     * behalf of a reply) when it had one, else the socket's; the turn is {@code turnAnchor}'s.
     */
    public static StageRecord base(SocketInfo socket, StageKind kind, String provider, String operation, String model,
                                   String senderSession, long turnAnchor) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = provider;
        record.operation = operation;
        record.model = model;
        record.streaming = true;
        record.contextSessionId = senderSession != null ? senderSession : socket.sessionId;
        record.contextTurnAnchor = turnAnchor;
        // the ids fixed when the utterance ended, which the application's requests may already carry
        record.contextTurn = SocketTurns.of(turnAnchor);
        record.metadata.put("socket_client", socket.client);
        return record;
    }

    /** Copies the named query parameters that are present into the model parameters, typed (as for REST calls). */
    public static void queryParameters(Map<String, String> query, String[] names, StageRecord record) {
        SpeechWire.queryParameters(query, names, record);
    }

    /** Characters of a text as the vendors bill them (code points). */
    public static long characters(String text) {
        return text == null ? 0 : text.codePointCount(0, text.length());
    }

    /** A text-to-speech record's billed characters: priced, and shown in metadata. */
    public static void characters(StageRecord record, long characters) {
        record.characters = characters;
        record.metadata.put("tts_characters", Long.toString(characters));
    }
}
