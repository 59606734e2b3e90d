package dev.voicetrace.agent.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.voicetrace.agent.matrix.SdkCall;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.transcribestreaming.model.Alternative;
import software.amazon.awssdk.services.transcribestreaming.model.Item;
import software.amazon.awssdk.services.transcribestreaming.model.ItemType;
import software.amazon.awssdk.services.transcribestreaming.model.LanguageCode;
import software.amazon.awssdk.services.transcribestreaming.model.MediaEncoding;
import software.amazon.awssdk.services.transcribestreaming.model.PartialResultsStability;
import software.amazon.awssdk.services.transcribestreaming.model.Result;
import software.amazon.awssdk.services.transcribestreaming.model.StartStreamTranscriptionRequest;
import software.amazon.awssdk.services.transcribestreaming.model.StartStreamTranscriptionResponse;
import software.amazon.awssdk.services.transcribestreaming.model.Transcript;
import software.amazon.awssdk.services.transcribestreaming.model.TranscriptEvent;

/** The AWS SDK's own Transcribe streaming request, response and transcript events, read by the agent's extractor. */
class TranscribeSdkVersionTest {

    private static final String SESSION = "0e7b9c5e-4c7a-4f0e-9f43-5d2b6a1c8e01";

    private static TranscriptEvent event(boolean partial, String text, double start, double end, double confidence) {
        Result.Builder result = Result.builder()
                .resultId("result-" + start)
                .channelId("ch_0")
                .startTime(start)
                .endTime(end)
                .isPartial(partial);
        if (text != null) {
            result.alternatives(Alternative.builder()
                    .transcript(text)
                    .items(Item.builder().content(text).type(ItemType.PRONUNCIATION).startTime(start).endTime(end)
                            .confidence(confidence).stable(!partial).build())
                    .build());
        }
        return TranscriptEvent.builder().transcript(Transcript.builder().results(result.build()).build()).build();
    }

    @Test
    void streamTranscription() throws Exception {
        StartStreamTranscriptionRequest request = StartStreamTranscriptionRequest.builder()
                .languageCode(LanguageCode.EN_US)
                .mediaSampleRateHertz(16000)
                .mediaEncoding(MediaEncoding.PCM)
                .vocabularyName("restaurant-terms")
                .sessionId(SESSION)
                .enablePartialResultsStabilization(true)
                .partialResultsStability(PartialResultsStability.HIGH)
                .build();
        StartStreamTranscriptionResponse response = StartStreamTranscriptionResponse.builder()
                .requestId("5c0f2d3e-8a41-4d1c-b1f6-2f9e7c3a0b11")
                .languageCode(LanguageCode.EN_US)
                .mediaSampleRateHertz(16000)
                .mediaEncoding(MediaEncoding.PCM)
                .sessionId(SESSION)
                .build();
        List<TranscriptEvent> events = List.of(
                TranscriptEvent.builder().transcript(Transcript.builder().results(List.of()).build()).build(),
                event(true, "Can you", 0.12, 0.61, 0.9),
                event(false, "Can you book a table?", 0.12, 1.32, 0.96),
                event(false, "For two.", 1.5, 2.1, 0.94));
        StageRecord record = SdkCall.of("aws-transcribe", TranscribeStreamingOperations.START_STREAM_TRANSCRIPTION,
                        StageKind.STT, true, new TranscribeStreamingExtractor(), request, null)
                .requestContent(73_600)
                .response(response)
                .stream(events)
                .extract();

        assertEquals("aws-transcribe-streaming", record.model);
        assertEquals("en-US", record.modelParameters.get("language_code"));
        assertEquals(16000L, ((Number) record.modelParameters.get("sample_rate")).longValue());
        assertEquals("pcm", record.modelParameters.get("media_encoding"));
        assertEquals("restaurant-terms", record.modelParameters.get("vocabulary_name"));
        assertEquals("high", record.modelParameters.get("partial_results_stability"));
        assertEquals(2.3, record.input.at("/audio/duration_seconds").asDouble(), 1e-9);
        assertEquals(SdkCall.STREAM_START_NANOS + SdkCall.STREAM_ITEM_GAP_NANOS, record.firstOutputEpochNanos);
        assertEquals("Can you book a table? For two.", record.outputText);
        assertEquals(2, record.output.get("final_results").asInt());
        assertEquals(1, record.output.get("partial_results").asInt());
        assertEquals("5c0f2d3e-8a41-4d1c-b1f6-2f9e7c3a0b11", record.metadata.get("request_id"));
        assertEquals(SESSION, record.metadata.get("session_id"));
        assertEquals(15.0, record.audioSeconds, 1e-9, "billed for at least 15 seconds");
    }
}
