package dev.voicetrace.agent.polly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.json.JsonFixtures;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import org.junit.jupiter.api.Test;

class PollyWireMapperTest {

    private static final double EPS = 1e-12;

    static JsonNode fixture(String name) {
        return JsonFixtures.json("/polly/" + name);
    }

    private static StageRecord record() {
        StageRecord record = new StageRecord();
        record.kind = StageKind.TTS;
        record.provider = "aws-polly";
        return record;
    }

    @Test
    void neuralPcmRequestAndFullyReadAudio() {
        StageRecord record = record();
        PollyWireMapper.request(fixture("synthesize-request-neural-pcm.json"), record);
        PollyWireMapper.response(fixture("synthesize-response-headers-pcm.json"), 96_000, false, record);

        assertEquals("polly-neural", record.model);
        assertEquals("It is sunny in Lisbon today, twenty three degrees.", record.inputText);
        assertEquals(record.inputText, record.input.get("text").asText());
        assertEquals("Joanna", record.input.get("voice").asText());
        assertEquals("en-US", record.input.get("language").asText());
        assertEquals("Joanna", record.modelParameters.get("voice"));
        assertEquals("16000", record.modelParameters.get("sample_rate"));
        assertEquals("pcm", record.metadata.get("format"));
        assertEquals(50, record.characters);
        assertTrue(record.usage.isEmpty(), "characters are not tokens");
        assertEquals(96_000, record.output.get("audio_bytes").asLong());
        assertEquals("audio/pcm", record.output.get("content_type").asText());
        // 16-bit mono at 16 kHz: 32,000 bytes a second
        assertEquals(3.0, record.audioSeconds, EPS);
        assertEquals(3.0, record.output.get("duration_seconds").asDouble(), EPS);
        assertFalse(record.output.has("interrupted"));
    }

    @Test
    void ssmlIsLinkedAndCountedByItsSpokenText() {
        StageRecord record = record();
        PollyWireMapper.request(fixture("synthesize-request-ssml.json"), record);
        PollyWireMapper.response(JsonNodeFactory.instance.objectNode().put("ContentType", "audio/mpeg"), 4800, false,
                record);

        assertEquals("polly-standard", record.model, "Polly's default engine is standard");
        assertEquals("Your table is booked for eight o'clock & ready.", record.inputText);
        assertTrue(record.input.get("text").asText().startsWith("<speak>"), "the input keeps the SSML as sent");
        assertEquals("ssml", record.input.get("text_type").asText());
        // without x-amzn-RequestCharacters, the spoken text's characters
        assertEquals(record.inputText.length(), record.characters);
        assertEquals(0, record.audioSeconds, EPS, "compressed audio has no duration from its size");
        assertFalse(record.output.has("duration_seconds"));
    }

    @Test
    void billedCharactersFromTheResponseWinAndCostFollowsTheEngine() {
        StageRecord record = record();
        PollyWireMapper.request(fixture("synthesize-request-ssml.json"), record);
        JsonNode headers = JsonNodeFactory.instance.objectNode().put("ContentType", "audio/mpeg")
                .put("RequestCharacters", 45);
        PollyWireMapper.response(headers, 4800, false, record);
        assertEquals(45, record.characters);
        PriceTable.load(null).settle(record);
        assertEquals(45 * 4.00 / 1e6, record.cost.get("total"), EPS);

        StageRecord neural = record();
        PollyWireMapper.request(fixture("synthesize-request-neural-pcm.json"), neural);
        PollyWireMapper.response(fixture("synthesize-response-headers-pcm.json"), 96_000, false, neural);
        PriceTable.load(null).settle(neural);
        assertEquals(50 * 16.00 / 1e6, neural.cost.get("characters"), EPS);
        assertEquals("50", neural.metadata.get("tts_characters"));
    }

    @Test
    void earlyCloseIsInterruptedAndCountsOnlyWhatWasRead() {
        StageRecord record = record();
        PollyWireMapper.request(fixture("synthesize-request-neural-pcm.json"), record);
        PollyWireMapper.response(fixture("synthesize-response-headers-pcm.json"), 2048, true, record);
        assertTrue(record.output.get("interrupted").asBoolean());
        assertEquals(2048, record.output.get("audio_bytes").asLong());
        assertEquals(2048 / 32_000.0, record.audioSeconds, EPS);
        assertEquals(50, record.characters, "Polly bills the whole text all the same");
    }

    @Test
    void missingFieldsLeaveNothingInvented() {
        StageRecord record = record();
        PollyWireMapper.request(JsonNodeFactory.instance.objectNode(), record);
        PollyWireMapper.response(null, -1, false, record);
        assertNull(record.inputText);
        assertEquals(0, record.characters);
        assertEquals(0, record.output.get("audio_bytes").asLong());
        assertTrue(record.output.get("content_type").isNull());
    }

    @Test
    void pcmAtAnotherRate() {
        StageRecord record = record();
        JsonNode body = JsonNodeFactory.instance.objectNode().put("Text", "Hi").put("OutputFormat", "pcm")
                .put("SampleRate", "8000");
        PollyWireMapper.request(body, record);
        PollyWireMapper.response(null, 16_000, false, record);
        assertEquals(1.0, record.audioSeconds, EPS);
    }
}
