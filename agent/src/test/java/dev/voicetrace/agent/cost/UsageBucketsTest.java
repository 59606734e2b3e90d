package dev.voicetrace.agent.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The usage Langfuse is sent: disjoint buckets and their exact total, the provider's own figures beside. */
class UsageBucketsTest {

    private static StageRecord withUsage(Object... keysAndCounts) {
        StageRecord record = new StageRecord();
        record.kind = StageKind.LLM;
        for (int i = 0; i < keysAndCounts.length; i += 2) {
            record.usage.put((String) keysAndCounts[i], (Long) keysAndCounts[i + 1]);
        }
        return record;
    }

    @Test
    void largeCountsWithoutPartsAreSentAsTheyAreWithNothingInMetadata() {
        // Counts beyond the JVM's small-number cache: equal counts must compare as numbers.
        StageRecord record = withUsage("input", 15_000L, "output", 3_000L, "total", 18_000L);
        UsageBuckets.apply(record);
        assertEquals(Map.of("input", 15_000L, "output", 3_000L, "total", 18_000L), record.usage);
        assertNull(record.metadata.get("provider_input_tokens"));
        assertNull(record.metadata.get("provider_output_tokens"));
        assertNull(record.metadata.get("provider_total_tokens"));
    }

    @Test
    void partsAreTakenOutOfTheirWholeAndKeptInTheOrderReported() {
        StageRecord record = withUsage("total", 2_500L, "output", 500L, "input", 2_000L,
                "output_reasoning_tokens", 200L, "input_cached_tokens", 1_500L, "input_audio_tokens", 0L);
        UsageBuckets.apply(record);
        assertEquals(List.of("input", "output", "output_reasoning_tokens", "input_cached_tokens", "total"),
                new ArrayList<>(record.usage.keySet()));
        assertEquals(Map.of("input", 500L, "output", 300L, "output_reasoning_tokens", 200L,
                "input_cached_tokens", 1_500L, "total", 2_500L), record.usage);
        assertEquals("2000", record.metadata.get("provider_input_tokens"));
        assertEquals("500", record.metadata.get("provider_output_tokens"));
        assertNull(record.metadata.get("provider_total_tokens"), "the buckets add up to the provider's total");
    }

    @Test
    void aTotalThatDiffersFromTheBucketsAndNegativeCountsAreReportedNotSent() {
        StageRecord record = withUsage("input", -4L, "output", 40L, "total", 99L);
        UsageBuckets.apply(record);
        assertEquals(Map.of("output", 40L, "total", 40L), record.usage);
        assertEquals("99", record.metadata.get("provider_total_tokens"));
        assertNull(record.metadata.get("provider_input_tokens"));
    }

    @Test
    void partsLargerThanTheirWholeLeaveItAtZero() {
        StageRecord record = withUsage("input", 100L, "input_cached_tokens", 300L);
        UsageBuckets.apply(record);
        assertEquals(Map.of("input", 0L, "input_cached_tokens", 300L, "total", 300L), record.usage);
        assertEquals("100", record.metadata.get("provider_input_tokens"));
    }

    @Test
    void nothingButATotalOrNoCountsSendNoUsage() {
        StageRecord onlyTotal = withUsage("total", 12L);
        UsageBuckets.apply(onlyTotal);
        assertTrue(onlyTotal.usage.isEmpty());
        assertEquals("12", onlyTotal.metadata.get("provider_total_tokens"));
        StageRecord none = withUsage();
        UsageBuckets.apply(none);
        assertTrue(none.usage.isEmpty());
        assertTrue(none.metadata.isEmpty());
    }

    @Test
    void aCallInsideAFrameworkCallKeepsItsCountsInMetadataOnly() {
        StageRecord record = withUsage("input", 1_000L, "output", 200L);
        record.metadata.put("nested_in", "langchain4j");
        UsageBuckets.apply(record);
        assertTrue(record.usage.isEmpty());
        assertEquals("1000", record.metadata.get("provider_input_tokens"));
        assertEquals("200", record.metadata.get("provider_output_tokens"));
        assertEquals("1200", record.metadata.get("provider_total_tokens"));
    }
}
