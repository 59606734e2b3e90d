package dev.voicetrace.agent.polly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.voicetrace.agent.matrix.SdkCall;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.polly.model.Engine;
import software.amazon.awssdk.services.polly.model.LanguageCode;
import software.amazon.awssdk.services.polly.model.OutputFormat;
import software.amazon.awssdk.services.polly.model.SynthesizeSpeechRequest;
import software.amazon.awssdk.services.polly.model.SynthesizeSpeechResponse;
import software.amazon.awssdk.services.polly.model.TextType;
import software.amazon.awssdk.services.polly.model.VoiceId;

/** The AWS SDK's own Polly request and response, read by the agent's extractor. */
class PollySdkVersionTest {

    @Test
    void synthesizeSpeech() throws Exception {
        SynthesizeSpeechRequest request = SynthesizeSpeechRequest.builder()
                .engine(Engine.NEURAL)
                .languageCode(LanguageCode.EN_US)
                .outputFormat(OutputFormat.PCM)
                .sampleRate("16000")
                .text("It is sunny in Lisbon today, twenty three degrees.")
                .textType(TextType.TEXT)
                .voiceId(VoiceId.JOANNA)
                .build();
        SynthesizeSpeechResponse response = SynthesizeSpeechResponse.builder()
                .contentType("audio/pcm")
                .requestCharacters(50)
                .build();
        StageRecord record = SdkCall.of("aws-polly", PollyOperations.SYNTHESIZE, StageKind.TTS, false,
                        new PollyExtractor(), request)
                .response(response)
                .body(96_000, "audio/pcm")
                .extract();

        assertEquals("polly-neural", record.model);
        assertEquals("It is sunny in Lisbon today, twenty three degrees.", record.inputText);
        assertEquals("Joanna", record.input.get("voice").asText());
        assertEquals("en-US", record.input.get("language").asText());
        assertEquals("16000", record.modelParameters.get("sample_rate"));
        assertEquals("pcm", record.metadata.get("format"));
        assertEquals(50, record.characters);
        assertEquals(96_000, record.output.get("audio_bytes").asLong());
        assertEquals("audio/pcm", record.output.get("content_type").asText());
        assertEquals(3.0, record.audioSeconds, 1e-9);
    }
}
