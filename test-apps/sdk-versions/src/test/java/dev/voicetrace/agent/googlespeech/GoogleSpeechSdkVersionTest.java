package dev.voicetrace.agent.googlespeech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.voicetrace.agent.matrix.Fixtures;
import dev.voicetrace.agent.matrix.SdkCall;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import org.junit.jupiter.api.Test;

/** google-cloud-speech and google-cloud-texttospeech protos, read by the agent's extractor. */
class GoogleSpeechSdkVersionTest {

    private final GoogleSpeechExtractor extractor = new GoogleSpeechExtractor();

    /** A response as the service sends it, through protobuf's own JSON parser. */
    private static <B extends Message.Builder> B parse(String fixture, B builder) throws Exception {
        JsonFormat.parser().merge(Fixtures.text(fixture), builder);
        return builder;
    }

    @Test
    void recognizeV1() throws Exception {
        com.google.cloud.speech.v1.RecognizeRequest request = com.google.cloud.speech.v1.RecognizeRequest.newBuilder()
                .setConfig(com.google.cloud.speech.v1.RecognitionConfig.newBuilder()
                        .setEncoding(com.google.cloud.speech.v1.RecognitionConfig.AudioEncoding.LINEAR16)
                        .setSampleRateHertz(16000)
                        .setLanguageCode("en-US")
                        .setModel("latest_short")
                        .setEnableAutomaticPunctuation(true))
                .setAudio(com.google.cloud.speech.v1.RecognitionAudio.newBuilder()
                        .setContent(ByteString.copyFrom(new byte[48_000])))
                .build();
        com.google.cloud.speech.v1.RecognizeResponse response = parse("/googlespeech/recognize-v1-response.json",
                com.google.cloud.speech.v1.RecognizeResponse.newBuilder()).build();
        StageRecord record = SdkCall.of("google-speech", GoogleSpeechOperations.RECOGNIZE_V1, StageKind.STT, false,
                        extractor, request)
                .response(response)
                .extract();

        assertEquals("google-speech-v1/latest_short", record.model);
        assertEquals("LINEAR16", record.modelParameters.get("encoding"));
        assertEquals(16_000L, record.modelParameters.get("sample_rate_hertz"));
        assertEquals("en-US", record.modelParameters.get("language"));
        assertEquals(48_000, record.input.path("audio").path("bytes").asLong());
        assertEquals(1.5, record.input.path("audio").path("duration_seconds").asDouble(), 1e-9);
        assertEquals("Is the tile museum open on Sunday?", record.outputText);
        assertEquals(0.94, record.output.get("confidence").asDouble(), 1e-6);
        assertEquals(2, record.output.get("results").asInt());
        assertEquals(2.0, record.audioSeconds, 1e-9, "the billed time");
        assertEquals("2000", record.metadata.get("billed_audio_ms"));
    }

    @Test
    void recognizeV2() throws Exception {
        com.google.cloud.speech.v2.RecognizeRequest request = com.google.cloud.speech.v2.RecognizeRequest.newBuilder()
                .setRecognizer("projects/voicetrace-demo/locations/global/recognizers/_")
                .setConfig(com.google.cloud.speech.v2.RecognitionConfig.newBuilder()
                        .setModel("chirp_2")
                        .addLanguageCodes("en-US")
                        .setExplicitDecodingConfig(com.google.cloud.speech.v2.ExplicitDecodingConfig.newBuilder()
                                .setEncoding(com.google.cloud.speech.v2.ExplicitDecodingConfig.AudioEncoding.LINEAR16)
                                .setSampleRateHertz(8000)
                                .setAudioChannelCount(2)))
                .setContent(ByteString.copyFrom(new byte[64_000]))
                .build();
        com.google.cloud.speech.v2.RecognizeResponse response = parse("/googlespeech/recognize-v2-response.json",
                com.google.cloud.speech.v2.RecognizeResponse.newBuilder()).build();
        StageRecord record = SdkCall.of("google-speech", GoogleSpeechOperations.RECOGNIZE_V2, StageKind.STT, false,
                        extractor, request)
                .response(response)
                .extract();

        assertEquals("google-speech-v2/chirp_2", record.model);
        assertEquals("en-US", record.input.get("language").asText());
        assertEquals(2.0, record.input.path("audio").path("duration_seconds").asDouble(), 1e-9,
                "64,000 bytes of 16-bit 8 kHz stereo");
        assertEquals("Thanks, that's all.", record.outputText);
        assertEquals("2000", record.metadata.get("billed_audio_ms"));
    }

    @Test
    void synthesizeSpeech() throws Exception {
        String ssml = "<speak>Your table is booked for <break time=\"300ms\"/> eight.</speak>";
        com.google.cloud.texttospeech.v1.SynthesizeSpeechRequest request =
                com.google.cloud.texttospeech.v1.SynthesizeSpeechRequest.newBuilder()
                        .setInput(com.google.cloud.texttospeech.v1.SynthesisInput.newBuilder().setSsml(ssml))
                        .setVoice(com.google.cloud.texttospeech.v1.VoiceSelectionParams.newBuilder()
                                .setLanguageCode("en-US").setName("en-US-Neural2-F"))
                        .setAudioConfig(com.google.cloud.texttospeech.v1.AudioConfig.newBuilder()
                                .setAudioEncoding(com.google.cloud.texttospeech.v1.AudioEncoding.LINEAR16)
                                .setSampleRateHertz(24000)
                                .setSpeakingRate(1.1))
                        .build();
        com.google.cloud.texttospeech.v1.SynthesizeSpeechResponse response =
                com.google.cloud.texttospeech.v1.SynthesizeSpeechResponse.newBuilder()
                        .setAudioContent(ByteString.copyFrom(new byte[44 + 48_000]))
                        .build();
        StageRecord record = SdkCall.of("google-texttospeech", GoogleSpeechOperations.SYNTHESIZE, StageKind.TTS, false,
                        extractor, request)
                .response(response)
                .extract();

        assertEquals("google-tts/neural2", record.model);
        assertEquals("Your table is booked for eight.", record.inputText);
        assertTrue(record.input.get("ssml").asText().startsWith("<speak>"));
        assertEquals(ssml.length(), record.characters);
        assertEquals(1.1, (Double) record.modelParameters.get("speaking_rate"), 1e-9);
        assertEquals(1.0, record.audioSeconds, 1e-9, "a WAV header, then 48,000 bytes at 24 kHz");
    }
}
