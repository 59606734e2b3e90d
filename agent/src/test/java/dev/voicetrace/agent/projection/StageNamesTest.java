package dev.voicetrace.agent.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.voicetrace.agent.link.LinkedObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StageNamesTest {

    /**
     * The metadata come in the order of their keys, the link's facts over the record's own and the
     * pipeline's fields over both: what a sorted map filled in that order gives.
     */
    @Test
    void metadataComeInTheirKeysOrderWithLaterSourcesWinning() {
        VoiceTurnFixture fixture = new VoiceTurnFixture();
        Random random = new Random(3);
        for (LinkedObservation observation : List.of(fixture.stt, fixture.toolCall, fixture.answer, fixture.speech)) {
            for (int run = 0; run < 50; run++) {
                observation.record.metadata.clear();
                observation.linkFacts.clear();
                String[] names = {"stage", "provider", "turn_index", "linked_by", "a", "zz", "m", "response_id", "b"};
                for (int i = random.nextInt(8); i > 0; i--) {
                    observation.record.metadata.put(names[random.nextInt(names.length)] + random.nextInt(3), "r" + i);
                    observation.record.metadata.put(names[random.nextInt(names.length)], "r" + i);
                }
                for (int i = random.nextInt(4); i > 0; i--) {
                    observation.linkFacts.put(names[random.nextInt(names.length)], "l" + i);
                }
                Map<String, String> expected = new TreeMap<>(observation.record.metadata);
                expected.putAll(observation.linkFacts);
                expected.put("stage", observation.record.kind.name().toLowerCase(java.util.Locale.ROOT));
                expected.put("provider", observation.record.provider);
                expected.put("operation", observation.record.operation);
                expected.put("streaming", Boolean.toString(observation.record.streaming));
                expected.put("turn_index", Integer.toString(observation.turn.index));
                if (observation.linkedFromSpanId != null) {
                    expected.put("linked_from", observation.linkedFromSpanId);
                    expected.put("linked_by", observation.linkedBy);
                    boolean fromModel = observation.record.kind == dev.voicetrace.agent.model.StageKind.TTS
                            || observation.record.kind == dev.voicetrace.agent.model.StageKind.TOOL;
                    expected.put(fromModel ? "from_llm" : "from_stt", observation.linkedFromSpanId);
                }
                List<String> given = new ArrayList<>();
                StageNames.metadata(observation, (key, value) -> given.add(key + "=" + value));
                List<String> wanted = new ArrayList<>();
                expected.forEach((key, value) -> wanted.add(key + "=" + value));
                assertEquals(wanted, given);
            }
        }
    }
}
