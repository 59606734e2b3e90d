package dev.voicetrace.agent.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

    private static final double EPS = 1e-12;

    private final PriceTable table = PriceTable.load(null);

    private static StageRecord record(StageKind kind, String model) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = "openai";
        record.model = model;
        return record;
    }

    @Test
    void aTableReadOnFirstUseGivesTheSamePrices() {
        PriceTable deferred = PriceTable.loadOnFirstUse(null);
        for (String model : new String[] {"gpt-4o-mini", "gpt-4o-mini-2024-07-18", "whisper-1", "no-such-model"}) {
            assertEquals(table.pricesFor(model), deferred.pricesFor(model), model);
        }
    }

    @Test
    void longestPrefixWins() {
        assertSame(table.pricesFor("gpt-4o-mini"), table.pricesFor("gpt-4o-mini-2024-07-18"));
        assertEquals(0.15, table.pricesFor("gpt-4o-mini-2024-07-18").get("input"), EPS);
        assertEquals(2.50, table.pricesFor("gpt-4o-2024-08-06").get("input"), EPS);
        assertEquals(30.0, table.pricesFor("tts-1-hd").get("per_million_characters"), EPS);
        assertEquals(15.0, table.pricesFor("tts-1-1106").get("per_million_characters"), EPS);
        assertEquals(0.003, table.pricesFor("gpt-4o-mini-transcribe").get("per_audio_minute"), EPS);
        assertNull(table.pricesFor("claude-3-haiku"));
        assertNull(table.pricesFor(null));
    }

    @Test
    void repeatedLookupsGiveTheFirstAnswer() {
        // Lookups are remembered per model name: the second answer must be the first one.
        for (int i = 0; i < 3; i++) {
            assertEquals(0.15, table.pricesFor("gpt-4o-mini-2024-07-18").get("input"), EPS);
            assertNull(table.pricesFor("claude-3-haiku"), "an unpriced model stays unpriced");
        }
        for (int i = 0; i < 3000; i++) {
            assertNull(table.pricesFor("unknown-model-" + i), "past the remembered names, lookups still work");
        }
        assertEquals(2.50, table.pricesFor("gpt-4o-2024-08-06").get("input"), EPS);
    }

    @Test
    void chatTokensWithCachedInputAtTheCachedRate() {
        StageRecord record = record(StageKind.LLM, "gpt-4o-mini-2024-07-18");
        record.usage.put("input", 1117L);
        record.usage.put("output", 46L);
        record.usage.put("total", 1163L);
        record.usage.put("input_cached_tokens", 1024L);
        record.usage.put("output_reasoning_tokens", 12L);

        table.settle(record);

        // Langfuse is sent disjoint buckets, each priced under its own key.
        assertEquals(Map.of("input", 93L, "input_cached_tokens", 1024L, "output", 34L,
                "output_reasoning_tokens", 12L, "total", 1163L), record.usage);
        double input = 93 * 0.15 / 1e6;
        double cached = 1024 * 0.075 / 1e6;
        double output = 34 * 0.60 / 1e6;
        double reasoning = 12 * 0.60 / 1e6;
        assertEquals(input, record.cost.get("input"), EPS);
        assertEquals(cached, record.cost.get("input_cached_tokens"), EPS);
        assertEquals(output, record.cost.get("output"), EPS);
        assertEquals(reasoning, record.cost.get("output_reasoning_tokens"), EPS, "reasoning is billed as output");
        assertEquals(input + cached + output + reasoning, record.cost.get("total"), EPS);
        assertEquals(46 * 0.60 / 1e6, output + reasoning, EPS, "reasoning tokens are part of output, not extra");
        assertEquals(input + cached + output + reasoning, record.totalCost(), EPS);
        assertEquals(5, record.cost.size());
    }

    @Test
    void cachedTokensAtFullRateWhenTheModelHasNoCachedPrice() {
        StageRecord record = record(StageKind.LLM, "gpt-3.5-turbo-0125");
        record.usage.put("input", 1000L);
        record.usage.put("input_cached_tokens", 500L);
        record.usage.put("output", 100L);
        table.settle(record);
        assertEquals(500 * 0.50 / 1e6, record.cost.get("input"), EPS);
        assertEquals(500 * 0.50 / 1e6, record.cost.get("input_cached_tokens"), EPS, "the input rate");
        assertEquals(100 * 1.50 / 1e6, record.cost.get("output"), EPS);
        assertEquals((1000 * 0.50 + 100 * 1.50) / 1e6, record.cost.get("total"), EPS, "all input at the input rate");
    }

    @Test
    void audioTokensAtTheirOwnRate() {
        StageRecord record = record(StageKind.LLM, "gpt-4o-audio-preview-2024-12-17");
        record.usage.put("input", 300L);
        record.usage.put("input_audio_tokens", 200L);
        record.usage.put("output", 150L);
        record.usage.put("output_audio_tokens", 100L);
        table.settle(record);
        assertEquals(100 * 2.50 / 1e6, record.cost.get("input"), EPS);
        assertEquals(200 * 40.0 / 1e6, record.cost.get("input_audio_tokens"), EPS);
        assertEquals(50 * 10.0 / 1e6, record.cost.get("output"), EPS);
        assertEquals(100 * 80.0 / 1e6, record.cost.get("output_audio_tokens"), EPS);
    }

    @Test
    void whisperIsPricedByAudioMinute() {
        StageRecord record = record(StageKind.STT, "whisper-1");
        record.audioSeconds = 90;
        table.settle(record);
        assertEquals(0.009, record.cost.get("audio"), EPS);
        assertEquals(0.009, record.cost.get("total"), EPS);
        assertTrue(record.usage.isEmpty(), "seconds are not tokens");
        assertEquals("90000", record.metadata.get("audio_ms"));
    }

    @Test
    void tokenBilledTranscriptionIsPricedByTokens() {
        StageRecord record = record(StageKind.STT, "gpt-4o-transcribe");
        record.audioSeconds = 12; // known, but the usage in tokens is what OpenAI bills
        record.usage.put("input", 14L);
        record.usage.put("input_audio_tokens", 14L);
        record.usage.put("output", 45L);
        table.settle(record);
        assertEquals(0L, record.usage.get("input"), "every input token was audio");
        assertFalse(record.cost.containsKey("input"), "no zero-valued cost");
        assertEquals(14 * 6.0 / 1e6, record.cost.get("input_audio_tokens"), EPS);
        assertEquals(45 * 10.0 / 1e6, record.cost.get("output"), EPS);
        assertEquals(14 * 6.0 / 1e6 + 45 * 10.0 / 1e6, record.cost.get("total"), EPS);
    }

    @Test
    void speechIsPricedByCharacters() {
        StageRecord record = record(StageKind.TTS, "tts-1");
        record.characters = 1000;
        table.settle(record);
        assertEquals(0.015, record.cost.get("characters"), EPS);
        assertEquals(0.015, record.cost.get("total"), EPS);
        assertTrue(record.usage.isEmpty(), "characters are not tokens");
        assertEquals("1000", record.metadata.get("tts_characters"));

        StageRecord hd = record(StageKind.TTS, "tts-1-hd");
        hd.characters = 1000;
        table.settle(hd);
        assertEquals(0.030, hd.cost.get("total"), EPS);
    }

    @Test
    void unknownModelOrNoUsageHasNoCost() {
        StageRecord unknown = record(StageKind.LLM, "my-finetuned-llama");
        unknown.usage.put("input", 1000L);
        unknown.usage.put("output", 10L);
        table.settle(unknown);
        assertTrue(unknown.cost.isEmpty());
        assertEquals(0.0, unknown.totalCost());

        StageRecord noModel = record(StageKind.LLM, null);
        noModel.usage.put("input", 1000L);
        table.settle(noModel);
        assertTrue(noModel.cost.isEmpty());

        StageRecord noUsage = record(StageKind.LLM, "gpt-4o");
        table.settle(noUsage);
        assertTrue(noUsage.cost.isEmpty(), "no zero-valued cost entries and no total");
    }

    @Test
    void overrideFileReplacesOneModelsPrices(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"models\": {"
                + "\"gpt-4o-mini\": {\"input\": 1.0, \"output\": 2.0},"
                + "\"my-model\": {\"input\": 3.0, \"output\": 4.0}}}", StandardCharsets.UTF_8);
        PriceTable custom = PriceTable.load(file.toString());

        StageRecord mini = record(StageKind.LLM, "gpt-4o-mini-2024-07-18");
        mini.usage.put("input", 1000L);
        mini.usage.put("input_cached_tokens", 400L);
        mini.usage.put("output", 100L);
        custom.settle(mini);
        assertEquals(400 * 1.0 / 1e6, mini.cost.get("input_cached_tokens"), EPS,
                "the whole entry is replaced: no cached rate left");
        assertEquals(600 * 1.0 / 1e6, mini.cost.get("input"), EPS);
        assertEquals(100 * 2.0 / 1e6, mini.cost.get("output"), EPS);

        assertEquals(2.50, custom.pricesFor("gpt-4o").get("input"), EPS, "other models keep built-in prices");
        assertNotNull(custom.pricesFor("my-model-v2"), "new models can be added");
        assertEquals(0.15, table.pricesFor("gpt-4o-mini").get("input"), EPS, "the built-in table is untouched");
    }

    @Test
    void unreadableOverrideFileFallsBackToBuiltIn(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{ not json", StandardCharsets.UTF_8);
        assertEquals(0.15, PriceTable.load(broken.toString()).pricesFor("gpt-4o-mini").get("input"), EPS);
        assertEquals(0.15, PriceTable.load(dir.resolve("missing.json").toString())
                .pricesFor("gpt-4o-mini").get("input"), EPS);
    }
}
