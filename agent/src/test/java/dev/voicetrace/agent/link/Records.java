package dev.voicetrace.agent.link;

import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.concurrent.TimeUnit;

/** Stage records as the OpenAI extractor would fill them, for linking and projection tests. */
public final class Records {

    /** 2025-10-09T08:53:20Z in epoch nanoseconds: a fixed, realistic "now". */
    public static final long T0 = 1_760_000_000_000_000_000L;

    private Records() {}

    public static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static StageRecord base(StageKind kind, String operation, String model, long startMs, long endMs) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = "openai";
        record.operation = operation;
        record.model = model;
        record.startEpochNanos = T0 + ms(startMs);
        record.endEpochNanos = T0 + ms(endMs);
        return record;
    }

    public static StageRecord stt(String transcript, long startMs, long endMs) {
        StageRecord record = base(StageKind.STT, "audio.transcriptions.create", "whisper-1", startMs, endMs);
        record.outputText = transcript;
        return record;
    }

    public static StageRecord llm(String lastUserText, String reply, long startMs, long endMs) {
        StageRecord record = base(StageKind.LLM, "chat.completions.create", "gpt-4o-mini", startMs, endMs);
        record.inputText = lastUserText;
        record.outputText = reply;
        return record;
    }

    public static StageRecord tts(String text, long startMs, long endMs) {
        StageRecord record = base(StageKind.TTS, "audio.speech.create", "tts-1", startMs, endMs);
        record.inputText = text;
        record.characters = text.codePointCount(0, text.length());
        return record;
    }

    public static StageRecord inSession(StageRecord record, String contextSessionId) {
        record.contextSessionId = contextSessionId;
        return record;
    }
}
