package dev.voicetrace.testapp.cloudspeech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The app against its stand-ins, in-process: the scripted turns, heard and spoken as expected. */
class CloudSpeechAppTest {

    private static List<String> run() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            CloudSpeechApp.runVoiceBot(out);
            CloudSpeechApp.runPolly(out);
        }
        return List.of(buffer.toString(StandardCharsets.UTF_8).split("\\R"));
    }

    @Test
    void everyTurnIsHeardAndAnswered() throws Exception {
        List<String> lines = run();
        assertEquals(List.of(
                "turn 1 heard: What's the weather like in Lisbon today? (google stt v1 stream, 10 interim results)",
                // 50 characters at 60 ms each, 16-bit mono at 16 kHz
                "turn 1 said: polly 96000 bytes audio/pcm, 50 characters",
                "turn 2 heard: Can you book a table for two at eight? (google stt v2 stream, 8 interim results)",
                // a 44-byte WAV header and 47 characters at 60 ms each, 16-bit mono at 24 kHz
                "turn 2 said: " + (44 + 47 * 60 * 48) + " bytes (google tts)",
                "turn 3 heard: Is the tile museum open on Sunday? (google stt v1, billed 2 s)",
                "turn 3 said: " + 44 * 60 * 48 + " bytes in 9 chunks (google tts stream)",
                "turn 4 heard: Thanks, that's all. (google stt v2, billed 1 s)",
                "turn 4 said: polly async 4200 bytes audio/mpeg, 35 characters",
                // 18 chunks of 100 ms: a partial result every 4th chunk, one word at a time
                "turn 6 heard: Do you have a vegetarian menu? (transcribe stream, 4 partial results)",
                // 46 characters at 60 ms each, 16-bit mono at 16 kHz
                "turn 6 said: polly 88320 bytes audio/pcm, 46 characters",
                "google-1: google stt refused, INVALID_ARGUMENT",
                "turn 5 heard: Please send me the recording of this call. (google stt v1 long-running, billed 3 s)",
                // SSML tags are not billed: 40 characters of 120 bytes
                "polly-1: polly 4800 bytes audio/mpeg, 40 characters",
                "polly-2: polly playback stopped after 2048 bytes",
                "polly-3: polly refused, status 400"), lines);
    }

    @Test
    void transcribeStreamingIsHeardAndAnUnsupportedRateRefused() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        String received;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
             MockTranscribeStreamingServer server = new MockTranscribeStreamingServer();
             TranscribeScenarios transcribe = new TranscribeScenarios(server.endpoint(), out)) {
            transcribe.hear(2, 1000);
            transcribe.hearUnsupportedRate("transcribe-1");
            received = server.received();
        }
        assertEquals(List.of(
                "turn 2 heard: Can you book a table for two at eight? (transcribe stream, 2 partial results)",
                "transcribe-1: transcribe refused, BadRequestException"),
                List.of(buffer.toString(StandardCharsets.UTF_8).split("\\R")));
        // the requests are signed with the key id; the secret itself never travels
        assertTrue(received.contains("AWS4-HMAC-SHA256 Credential=" + PollyScenarios.ACCESS_KEY_ID));
        assertTrue(received.contains("x-amzn-transcribe-sample-rate: 96000"));
        assertFalse(received.contains(PollyScenarios.SECRET_ACCESS_KEY));
    }
}
