package dev.voicetrace.agent.cost;

import dev.voicetrace.agent.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.Providers;
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

    /** The name of a provider's price section, a resource in the provider's package. */
    public static final String SECTION = "prices.json";

    /**
     * The providers' price sections, then {@code overrideFile} (same shape) over them. A model
     * key is priced by whichever section names it; keys are vendor model names, so a framework
     * calling a vendor's model (LangChain4j, Spring AI) finds the vendor's prices.
     */
    public static PriceTable load(String overrideFile) {
        PriceTable table = new PriceTable();
        // Each provider keeps its own section, prices.json beside its Provider class.
        for (Provider provider : Providers.load(error -> {})) {
            try (InputStream section = provider.getClass().getResourceAsStream(SECTION)) {
                if (section != null) {
                    table.addAll(Json.read(section.readAllBytes()));
                }
            } catch (IOException | RuntimeException e) {
                AgentLog.warn("the price section of " + provider.id() + " is unreadable; its costs are not computed", e);
            }
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
     * The accounting step of a record: its usage made into Langfuse's disjoint buckets
     * ({@link UsageBuckets}), then priced, unless a framework call around it is priced already.
     */
    public void settle(StageRecord record) {
        UsageBuckets.apply(record);
        if (!record.metadata.containsKey("nested_in")) {
            applyTo(record);
        }
    }

    /**
     * Fills {@code record.cost} from the usage buckets {@link UsageBuckets} made: each bucket is
     * priced under its own key, so that Langfuse's input/output cost split matches its usage
     * split; speech billed by time is priced under {@code audio}, by characters under
     * {@code characters}; {@code total} is the sum. A model without a price gets usage only and
     * one log line. A key qualified by the provider ({@code deepgram/nova-3}) is preferred to a
     * bare model key, so vendors whose model names are generic words do not collide.
     */
    void applyTo(StageRecord record) {
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
            addCost(record, "characters", record.characters, prices.get("per_million_characters"), MILLION);
        } else if (record.kind == StageKind.STT && record.audioSeconds > 0 && !record.usage.containsKey("input")) {
            Double perMinute = prices.get("per_audio_minute");
            Double perHour = prices.get("per_audio_hour");
            if (perMinute != null) {
                record.cost.put("audio", perMinute * record.audioSeconds / 60.0);
            } else if (perHour != null) {
                record.cost.put("audio", perHour * record.audioSeconds / 3600.0);
            }
        } else {
            for (Map.Entry<String, Long> bucket : record.usage.entrySet()) {
                if (!"total".equals(bucket.getKey())) {
                    addCost(record, bucket.getKey(), bucket.getValue(), priceOf(bucket.getKey(), prices), MILLION);
                }
            }
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
     * The price per million tokens of a usage bucket: its own rate when the table has one (cache
     * reads, cache writes, audio), otherwise the plain input or output rate (reasoning tokens are
     * billed as output, tool-prompt tokens as input).
     */
    private static Double priceOf(String bucket, Map<String, Double> prices) {
        String own = OWN_RATES.get(bucket);
        if (own != null && prices.containsKey(own)) {
            return prices.get(own);
        }
        return bucket.startsWith("output") ? prices.get("output") : prices.get("input");
    }

    private static final Map<String, String> OWN_RATES = Map.of(
            "input_cached_tokens", "cached_input",
            "input_cache_creation_tokens", "cache_write_input",
            "input_audio_tokens", "input_audio",
            "output_audio_tokens", "output_audio");

    private static void addCost(StageRecord record, String key, long units, Double pricePerBlock, double block) {
        if (pricePerBlock != null && units > 0) {
            record.cost.put(key, units * pricePerBlock / block);
        }
    }
}
