package dev.voicetrace.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One intercepted client call, whatever the provider: every instrumentation maps into this
 * record, and everything downstream (linking, cost, projection, export) reads only this.
 * Times are nanoseconds since the Unix epoch.
 */
public final class StageRecord {

    public StageKind kind;
    /** The provider, e.g. {@code openai}. */
    public String provider;
    /** The client operation, e.g. {@code chat.completions.create}. */
    public String operation;
    public String model;
    public final Map<String, Object> modelParameters = new LinkedHashMap<>();

    /** What the call was given, in the provider's own shape (messages, audio metadata, text). */
    public JsonNode input;
    /** What the call returned, in the provider's own shape. */
    public JsonNode output;
    /** The text the linker matches on the input side: the prompt's latest user text, the TTS text. */
    public String inputText;
    /** The text the linker matches on the output side: the transcript, the LLM reply. */
    public String outputText;

    public long startEpochNanos;
    public long endEpochNanos;
    /** First token or first audio byte; 0 when unknown. */
    public long firstOutputEpochNanos;
    public boolean streaming;

    /** Usage counts in Langfuse's usage-details keys (input, output, total, ...). */
    public final Map<String, Long> usage = new LinkedHashMap<>();
    /** Exact audio seconds for speech-to-text billing, 0 when unknown. */
    public double audioSeconds;
    /** Characters synthesised for text-to-speech billing. */
    public long characters;
    /** Cost in USD per usage key plus {@code total}; empty when the model has no known price. */
    public final Map<String, Double> cost = new LinkedHashMap<>();

    /** Set when the call failed: the error's description. */
    public String error;
    /** Small facts worth seeing in Langfuse: finish reason, voice, audio format and size, ... */
    public final Map<String, String> metadata = new LinkedHashMap<>();

    /** Session id seen in the calling thread's context at the time of the call, if any. */
    public String contextSessionId;
    /**
     * The speech-to-text call whose turn the calling thread was working on (the anchor that call
     * set in the context, or that the STT call itself set); 0 when none.
     */
    public long contextTurnAnchor;

    /** The Langfuse user id: the configured MDC key's value in the calling thread's context, or null. */
    public String userId;
    /** Trace metadata from the configured MDC keys (tenant, telephony call id, ...). */
    public final Map<String, String> traceMetadata = new LinkedHashMap<>();

    public long durationNanos() {
        return endEpochNanos - startEpochNanos;
    }

    public long totalTokens() {
        Long total = usage.get("total");
        if (total != null) {
            return total;
        }
        long sum = 0;
        Long input = usage.get("input");
        Long output = usage.get("output");
        if (input != null) {
            sum += input;
        }
        if (output != null) {
            sum += output;
        }
        return kind == StageKind.LLM ? sum : 0;
    }

    public double totalCost() {
        Double total = cost.get("total");
        return total == null ? 0 : total;
    }
}
