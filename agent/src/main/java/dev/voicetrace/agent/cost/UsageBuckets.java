package dev.voicetrace.agent.cost;

import dev.voicetrace.agent.model.StageRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where a record's usage becomes what Langfuse is sent, for both export APIs.
 *
 * <p>Wire mappers write usage as providers count it: {@code input} and {@code output} are the
 * whole input and output token counts, keys {@code input_*} and {@code output_*} are parts of
 * them (cached, audio, cache-creation and tool-prompt input; reasoning and audio output), and
 * {@code total} is the provider's own total. Langfuse reads usage differently: it sums every key
 * whose name contains {@code input} as input (and likewise output) and adds every key into the
 * total, so the buckets it is sent must be disjoint. Here {@code input} and {@code output} become
 * what is left after their parts, and {@code total} the exact sum of the buckets sent. Where that
 * differs from what the provider said, the provider's figures go to metadata
 * ({@code provider_input_tokens}, {@code provider_output_tokens}, {@code provider_total_tokens}).
 *
 * <p>Only tokens are usage: characters and audio durations go to metadata as whole numbers
 * ({@code tts_characters}, {@code audio_ms}), never into the token totals. A call recorded inside
 * a framework call that already reports the same model call keeps its counts in metadata only,
 * so that Langfuse counts them once.
 */
public final class UsageBuckets {

    private static final String INPUT = "input";
    private static final String OUTPUT = "output";
    private static final String TOTAL = "total";

    private UsageBuckets() {
    }

    public static void apply(StageRecord record) {
        unitsToMetadata(record);
        if (record.usage.isEmpty()) {
            return;
        }
        Map<String, Long> reported = new LinkedHashMap<>(record.usage);
        record.usage.clear();
        Long providerTotal = reported.get(TOTAL);
        long inputParts = 0;
        long outputParts = 0;
        boolean anyPart = false;
        for (Map.Entry<String, Long> entry : reported.entrySet()) {
            long value = positive(entry.getValue());
            if (isInputPart(entry.getKey())) {
                inputParts += value;
                anyPart |= value > 0;
            } else if (isOutputPart(entry.getKey())) {
                outputParts += value;
                anyPart |= value > 0;
            }
        }
        Long input = nonNegative(reported.get(INPUT));
        Long output = nonNegative(reported.get(OUTPUT));
        long inputBucket = input == null ? 0 : Math.max(0, input - inputParts);
        long outputBucket = output == null ? 0 : Math.max(0, output - outputParts);
        long total = inputBucket + outputBucket + inputParts + outputParts;
        if (input != null && input != inputBucket) {
            record.metadata.put("provider_input_tokens", Long.toString(input));
        }
        if (output != null && output != outputBucket) {
            record.metadata.put("provider_output_tokens", Long.toString(output));
        }
        if (providerTotal != null && providerTotal >= 0 && providerTotal != total) {
            record.metadata.put("provider_total_tokens", Long.toString(providerTotal));
        }
        if (input == null && output == null && !anyPart) {
            return;
        }
        if (record.metadata.containsKey("nested_in")) {
            // The framework call around this one reports the same tokens.
            record.metadata.putIfAbsent("provider_input_tokens", Long.toString(input == null ? 0 : input));
            record.metadata.putIfAbsent("provider_output_tokens", Long.toString(output == null ? 0 : output));
            record.metadata.putIfAbsent("provider_total_tokens", Long.toString(total));
            return;
        }
        // input and output first, then the positive parts in the order reported, then the total.
        if (input != null) {
            record.usage.put(INPUT, inputBucket);
        }
        if (output != null) {
            record.usage.put(OUTPUT, outputBucket);
        }
        for (Map.Entry<String, Long> entry : reported.entrySet()) {
            long value = positive(entry.getValue());
            if (value > 0 && (isInputPart(entry.getKey()) || isOutputPart(entry.getKey()))) {
                record.usage.put(entry.getKey(), value);
            }
        }
        record.usage.put(TOTAL, total);
    }

    private static boolean isInputPart(String key) {
        return key.startsWith(INPUT + "_");
    }

    private static boolean isOutputPart(String key) {
        return key.startsWith(OUTPUT + "_");
    }

    /** The count, or 0 for none or a negative one. */
    private static long positive(Long value) {
        return value == null || value < 0 ? 0 : value;
    }

    /** Characters and audio durations: facts about the call, in whole units, outside the token totals. */
    private static void unitsToMetadata(StageRecord record) {
        if (record.characters > 0) {
            record.metadata.putIfAbsent("tts_characters", Long.toString(record.characters));
        }
        if (record.audioSeconds > 0 && Double.isFinite(record.audioSeconds)) {
            record.metadata.putIfAbsent("audio_ms", Long.toString(Math.round(record.audioSeconds * 1000)));
        }
    }

    private static Long nonNegative(Long value) {
        return value == null || value < 0 ? null : value;
    }
}
