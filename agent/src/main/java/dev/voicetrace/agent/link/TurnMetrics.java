package dev.voicetrace.agent.link;

import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The turn-level figures a voice team watches, in milliseconds: how long transcription took, how
 * long the model took (first call's start to last call's end) and its time to first token, the
 * speech's time to first byte, voice-to-voice latency (transcript ready to first audio byte), and
 * the time spent in tools (the sum of the turn's tool observations).
 * A figure whose stages are missing is absent, never zero.
 */
public final class TurnMetrics {

    public final Map<String, Double> latenciesMs = new LinkedHashMap<>();
    public long totalTokens;
    public double totalCost;
    public int observations;

    static TurnMetrics of(Turn turn) {
        TurnMetrics metrics = new TurnMetrics();
        StageRecord stt = turn.first(StageKind.STT);
        StageRecord firstLlm = turn.first(StageKind.LLM);
        StageRecord lastLlm = turn.last(StageKind.LLM);
        StageRecord tts = turn.first(StageKind.TTS);
        StageRecord spokenLlm = turn.upstreamOf(StageKind.TTS);
        StageRecord ttftSource = spokenLlm != null ? spokenLlm : lastLlm;
        if (stt != null) {
            metrics.put("stt_latency_ms", stt.endEpochNanos - stt.startEpochNanos);
        }
        if (firstLlm != null) {
            metrics.put("llm_latency_ms", lastLlm.endEpochNanos - firstLlm.startEpochNanos);
            // The model call whose reply was spoken is the one the caller waits on.
            if (ttftSource.firstOutputEpochNanos > 0) {
                metrics.put("llm_time_to_first_token_ms", ttftSource.firstOutputEpochNanos - ttftSource.startEpochNanos);
            }
        }
        if (tts != null && tts.firstOutputEpochNanos > 0) {
            metrics.put("tts_time_to_first_byte_ms", tts.firstOutputEpochNanos - tts.startEpochNanos);
            if (stt != null) {
                metrics.put("voice_to_voice_ms", tts.firstOutputEpochNanos - stt.endEpochNanos);
            }
        }
        long toolNanos = 0;
        boolean tools = false;
        for (LinkedObservation o : turn.observations()) {
            if (o.record.kind == StageKind.TOOL) {
                tools = true;
                toolNanos += Math.max(0, o.record.durationNanos());
            }
        }
        if (tools) {
            metrics.put("tool_time_ms", toolNanos);
        }
        for (LinkedObservation o : turn.observations()) {
            // speech-to-speech: the model speaks itself, and its call measured voice-to-voice
            String spoken = o.record.kind == StageKind.LLM ? o.record.metadata.get("voice_to_voice_ms") : null;
            if (tts == null && spoken != null && !metrics.latenciesMs.containsKey("voice_to_voice_ms")) {
                metrics.latenciesMs.put("voice_to_voice_ms", Double.valueOf(spoken));
            }
            // A call recorded inside a framework call is that call seen again: its tokens count once.
            if (!o.record.metadata.containsKey("nested_in")) {
                metrics.totalTokens += o.record.totalTokens();
            }
            metrics.totalCost += o.record.totalCost();
            metrics.observations++;
        }
        return metrics;
    }

    private void put(String name, long nanos) {
        latenciesMs.put(name, Math.round(nanos / 1000.0) / 1000.0);
    }
}
