package dev.voicetrace.agent.cost;

import dev.voicetrace.agent.model.Json;
import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Prices per model, and the cost of a stage computed from its usage: tokens for language models
 * (cache reads and writes at their own rates), audio seconds (priced per minute or per hour) or
 * tokens for speech-to-text,
 * characters for text-to-speech. The built-in table can be overridden model by model from a JSON file.
 */
public final class PriceTable {

    private static final double MILLION = 1_000_000.0;

    private final Map<String, Map<String, Double>> models = new HashMap<>();
    /** Model names already looked up, with their prices or {@link #NO_PRICE}. */
    private final Map<String, Map<String, Double>> resolved = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, Double> NO_PRICE = java.util.Collections.unmodifiableMap(new HashMap<>());
    private static final int MAX_RESOLVED = 1024;

    public static PriceTable load(String overrideFile) {
        PriceTable table = new PriceTable();
        try (InputStream builtIn = PriceTable.class.getResourceAsStream("/voicetrace/prices.json")) {
            table.addAll(Json.read(builtIn.readAllBytes()));
        } catch (IOException | RuntimeException e) {
            AgentLog.warn("built-in price table unreadable; costs are not computed", e);
        }
        if (overrideFile != null) {
            try {
                table.addAll(Json.read(Files.readAllBytes(Paths.get(overrideFile))));
                AgentLog.info("prices from " + overrideFile + " override the built-in table");
            } catch (IOException | RuntimeException e) {
                AgentLog.warn("price file " + overrideFile + " unreadable; the built-in table is used", e);
            }
        }
        return table;
    }

    private void addAll(JsonNode document) {
        JsonNode entries = document.path("models");
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Map<String, Double> prices = new HashMap<>();
            entry.getValue().fields().forEachRemaining(p -> {
                if (p.getValue().isNumber()) {
                    prices.put(p.getKey(), p.getValue().asDouble());
                }
            });
            models.put(entry.getKey(), prices);
        }
    }

    /** The prices of the longest model key that prefixes {@code model}, or null. */
    Map<String, Double> pricesFor(String model) {
        if (model == null) {
            return null;
        }
        // Every call asks again for the same few models: the prefix search runs once per name.
        Map<String, Double> known = resolved.get(model);
        if (known == null) {
            if (resolved.size() >= MAX_RESOLVED) {
                resolved.clear();
            }
            known = longestPrefixMatch(model);
            resolved.put(model, known == null ? NO_PRICE : known);
        }
        return known == NO_PRICE ? null : known;
    }

    private Map<String, Double> longestPrefixMatch(String model) {
        String best = null;
        for (String key : models.keySet()) {
            if (model.startsWith(key) && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? null : models.get(best);
    }

    /**
     * Fills {@code record.cost}; a model without a price gets usage only and one log line. A key
     * qualified by the provider ({@code deepgram/nova-3}) is preferred to a bare model key, so
     * vendors whose model names are generic words do not collide.
     */
    public void applyTo(StageRecord record) {
        Map<String, Double> prices = record.model == null || record.provider == null ? null
                : pricesFor(record.provider + "/" + record.model);
        if (prices == null) {
            prices = pricesFor(record.model);
        }
        if (prices == null) {
            if (record.model != null) {
                AgentLog.warnOnce("no-price:" + record.model,
                        "no price known for model " + record.model + "; its usage is reported without cost");
            }
            return;
        }
        if (record.kind == StageKind.TTS) {
            addCost(record, "input", record.characters, prices.get("per_million_characters"), MILLION);
        } else if (record.kind == StageKind.STT && record.audioSeconds > 0 && !record.usage.containsKey("input")) {
            Double perMinute = prices.get("per_audio_minute");
            Double perHour = prices.get("per_audio_hour");
            if (perMinute != null) {
                record.cost.put("input", perMinute * record.audioSeconds / 60.0);
            } else if (perHour != null) {
                record.cost.put("input", perHour * record.audioSeconds / 3600.0);
            }
        } else {
            tokenCosts(record, prices);
        }
        if (!record.cost.isEmpty()) {
            double total = 0;
            for (double value : record.cost.values()) {
                total += value;
            }
            record.cost.put("total", total);
        }
    }

    /**
     * Input tokens at the plain input rate, minus the detail counts that have their own rate:
     * cache reads ({@code cached_input}), cache writes ({@code cache_write_input}) and input audio
     * ({@code input_audio}). OpenAI counts cache reads inside {@code input}; Anthropic reports
     * cache reads and writes beside {@code input}, and its {@code total} adds them on top, which
     * is how the two are told apart. Cache counts without their own rate cost the input rate.
     */
    private static void tokenCosts(StageRecord record, Map<String, Double> prices) {
        long input = record.usage.getOrDefault("input", 0L);
        long cached = record.usage.getOrDefault("input_cached_tokens", 0L);
        long cacheWrites = record.usage.getOrDefault("input_cache_creation_tokens", 0L);
        long inputAudio = record.usage.getOrDefault("input_audio_tokens", 0L);
        long output = record.usage.getOrDefault("output", 0L);
        long outputAudio = record.usage.getOrDefault("output_audio_tokens", 0L);
        Long total = record.usage.get("total");
        boolean cacheBesideInput = total != null && cached + cacheWrites > 0
                && total >= input + output + cached + cacheWrites;
        long allInput = cacheBesideInput ? input + cached + cacheWrites : input;
        boolean cachedPriced = prices.containsKey("cached_input");
        boolean cacheWritesPriced = prices.containsKey("cache_write_input");
        boolean audioPriced = prices.containsKey("input_audio");
        long plainInput = Math.max(0, allInput - (cachedPriced ? cached : 0) - (cacheWritesPriced ? cacheWrites : 0)
                - (audioPriced ? inputAudio : 0));
        addCost(record, "input", plainInput, prices.get("input"), MILLION);
        if (cachedPriced) {
            addCost(record, "input_cached_tokens", cached, prices.get("cached_input"), MILLION);
        }
        if (cacheWritesPriced) {
            addCost(record, "input_cache_creation_tokens", cacheWrites, prices.get("cache_write_input"), MILLION);
        }
        if (audioPriced) {
            addCost(record, "input_audio_tokens", inputAudio, prices.get("input_audio"), MILLION);
        }
        boolean outputAudioPriced = prices.containsKey("output_audio");
        addCost(record, "output", Math.max(0, output - (outputAudioPriced ? outputAudio : 0)), prices.get("output"),
                MILLION);
        if (outputAudioPriced) {
            addCost(record, "output_audio_tokens", outputAudio, prices.get("output_audio"), MILLION);
        }
    }

    private static void addCost(StageRecord record, String key, long units, Double pricePerBlock, double block) {
        if (pricePerBlock != null && units > 0) {
            record.cost.put(key, units * pricePerBlock / block);
        }
    }
}
