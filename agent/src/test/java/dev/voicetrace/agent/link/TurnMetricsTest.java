package dev.voicetrace.agent.link;

import static dev.voicetrace.agent.link.Records.T0;
import static dev.voicetrace.agent.link.Records.llm;
import static dev.voicetrace.agent.link.Records.ms;
import static dev.voicetrace.agent.link.Records.stt;
import static dev.voicetrace.agent.link.Records.tts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TurnMetricsTest {

    private final Linker linker = new Linker(new SequentialIds(), "s", TimeUnit.SECONDS.toNanos(30));

    @Test
    void latenciesTokensAndCostOfAFullTurn() {
        StageRecord stt = stt("What time do you open?", 0, 400);
        stt.audioSeconds = 4;
        stt.cost.put("input", 0.0004);
        stt.cost.put("total", 0.0004);

        StageRecord toolCall = llm("what time do you open", "", 450, 900);
        toolCall.firstOutputEpochNanos = T0 + ms(700);
        toolCall.usage.put("input", 80L);
        toolCall.usage.put("output", 20L);
        toolCall.usage.put("total", 100L);
        toolCall.cost.put("total", 0.001);

        StageRecord answer = llm("what time do you open", "At seven.", 1000, 1500);
        answer.firstOutputEpochNanos = T0 + ms(1200);
        answer.usage.put("input", 120L);
        answer.usage.put("output", 30L); // no total: input + output
        answer.cost.put("total", 0.002);

        StageRecord speech = tts("At seven.", 1550, 2500);
        speech.firstOutputEpochNanos = T0 + ms(1700);
        speech.characters = 9;
        speech.cost.put("input", 0.000135);
        speech.cost.put("total", 0.000135);

        Turn turn = null;
        for (StageRecord record : List.of(stt, toolCall, answer, speech)) {
            turn = linker.link(record).observation.turn;
        }
        TurnMetrics metrics = turn.metrics();

        assertEquals(Map.of(
                "stt_latency_ms", 400.0,
                "llm_latency_ms", 1050.0,
                "llm_time_to_first_token_ms", 200.0,
                "tts_time_to_first_byte_ms", 150.0,
                "voice_to_voice_ms", 1300.0), metrics.latenciesMs);
        assertEquals(250L, metrics.totalTokens, "characters and audio seconds are not tokens");
        assertEquals(0.0004 + 0.001 + 0.002 + 0.000135, metrics.totalCost, 1e-12);
        assertEquals(4, metrics.observations);
    }

    @Test
    void subMillisecondPrecisionIsKept() {
        StageRecord stt = stt("hi", 0, 0);
        stt.endEpochNanos = stt.startEpochNanos + 1_234_567L;
        Turn turn = linker.link(stt).observation.turn;
        assertEquals(1.235, turn.metrics().latenciesMs.get("stt_latency_ms"), 1e-9);
    }

    @Test
    void missingStagesGiveAbsentFiguresNotZeros() {
        StageRecord alone = llm("Summarise this", "Done.", 0, 800);
        Turn turn = linker.link(alone).observation.turn;
        TurnMetrics metrics = turn.metrics();

        assertEquals(Map.of("llm_latency_ms", 800.0), metrics.latenciesMs);
        assertEquals(0L, metrics.totalTokens);
        assertEquals(0.0, metrics.totalCost);
        assertEquals(1, metrics.observations);
    }

    @Test
    void speechWithoutFirstByteHasNoTtfbOrVoiceToVoice() {
        linker.link(stt("Good night", 0, 300));
        linker.link(llm("good night", "Sleep well.", 350, 700));
        StageRecord speech = tts("Sleep well.", 750, 1500);
        Turn turn = linker.link(speech).observation.turn;
        TurnMetrics metrics = turn.metrics();

        assertEquals(300.0, metrics.latenciesMs.get("stt_latency_ms"));
        assertEquals(350.0, metrics.latenciesMs.get("llm_latency_ms"));
        assertFalse(metrics.latenciesMs.containsKey("llm_time_to_first_token_ms"));
        assertFalse(metrics.latenciesMs.containsKey("tts_time_to_first_byte_ms"));
        assertFalse(metrics.latenciesMs.containsKey("voice_to_voice_ms"));
    }

    @Test
    void speechWithoutTranscriptHasTtfbButNoVoiceToVoice() {
        StageRecord speech = tts("Welcome to the bakery!", 0, 900);
        speech.firstOutputEpochNanos = T0 + ms(120);
        TurnMetrics metrics = linker.link(speech).observation.turn.metrics();
        assertEquals(Map.of("tts_time_to_first_byte_ms", 120.0), metrics.latenciesMs);
    }
}
