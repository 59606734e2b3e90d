package dev.voicetrace.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.http.HttpCall;
import dev.voicetrace.agent.http.HttpEndpoints;
import dev.voicetrace.agent.http.HttpExchange;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recognising the vendors' endpoints, and reading whole calls (AssemblyAI's across several). */
class SpeechRestExtractorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "https://api.assemblyai.com";

    private final HttpEndpoints endpoints = new SpeechVendorApis().endpoints("api.deepgram.com",
            "api.elevenlabs.io, localhost:8089", "api.assemblyai.com", CallObserver.SDK_RESULTS);

    private OperationSpec match(String host, int port, String method, String path) {
        return endpoints.match(host, port, method, path);
    }

    @Test
    void endpointsAreRecognisedByHostAndPath() {
        assertEquals("listen", match("api.deepgram.com", -1, "POST", "/v1/listen").operation);
        assertEquals(StageKind.STT, match("api.deepgram.com", 443, "POST", "/v1/listen/").kind);
        assertEquals("speak", match("api.deepgram.com", -1, "POST", "/v1/speak").operation);
        assertNull(match("api.deepgram.com", -1, "GET", "/v1/listen"), "listen is a POST");
        assertNull(match("api.deepgram.com", -1, "POST", "/v1/projects"), "other Deepgram paths");
        assertNull(match("api.openai.com", -1, "POST", "/v1/listen"), "other hosts");
        assertNull(match("api.elevenlabs.io", -1, "POST", "/v1/listen"), "paths of another vendor");

        OperationSpec tts = match("api.elevenlabs.io", -1, "POST", "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM");
        assertEquals("elevenlabs", tts.provider);
        assertEquals(false, tts.streaming);
        assertEquals(true, match("API.ELEVENLABS.IO", -1, "POST", "/v1/text-to-speech/v/stream").streaming,
                "host names compare without case");
        assertNull(match("api.elevenlabs.io", -1, "POST", "/v1/text-to-speech/v/with-timestamps"),
                "timestamped speech answers JSON, not audio");
        assertNull(match("api.elevenlabs.io", -1, "POST", "/v1/text-to-speech/"));
        assertEquals("text_to_speech", match("localhost", 8089, "POST", "/v1/text-to-speech/v").operation);
        assertNull(match("localhost", 8090, "POST", "/v1/text-to-speech/v"), "a host listed with a port");

        assertEquals("transcript", match("api.assemblyai.com", -1, "POST", "/v2/transcript").operation);
        assertEquals("transcript.get", match("api.assemblyai.com", -1, "GET", "/v2/transcript/abc-123").operation);
        assertEquals("upload", match("api.assemblyai.com", -1, "POST", "/v2/upload").operation);
        assertNull(match("api.assemblyai.com", -1, "GET", "/v2/transcript/abc-123/sentences"));
        assertNull(match("api.assemblyai.com", -1, "DELETE", "/v2/transcript/abc-123"));
        assertNull(match("api.assemblyai.com", -1, "GET", "/v2/transcript"), "the list of transcripts");

        assertEquals(true, endpoints.servesHost("api.deepgram.com"));
        assertEquals(true, endpoints.servesHost("Api.ElevenLabs.io"));
        assertEquals(true, endpoints.servesHost("localhost"), "whatever the port");
        assertEquals(false, endpoints.servesHost("api.openai.com"));
        assertEquals(false, endpoints.servesHost(null));
    }

    @Test
    void assemblyAiTranscriptIsOneRecordFromCreationToTheFirstCompletedPoll() throws Exception {
        SpeechVendorApis extractor = new SpeechVendorApis();
        String id = "6b1f0a3e-92d4-4c57-8e1a-3f5d7b9c2a14";

        StageRecord create = record("assemblyai", "transcript", 1_000);
        HttpCall created = call("POST", BASE + "/v2/transcript", "application/json",
                resource("assemblyai-create-request.json"), 200, resource("assemblyai-transcript-queued.json"));
        assertThrows(CallExtractor.NotRecorded.class, () -> extractor.extract(created, false, create),
                "the creation is recorded with its result");

        ObjectNodeEdit processing = new ObjectNodeEdit(resource("assemblyai-transcript-queued.json"));
        processing.node.put("status", "processing");
        StageRecord firstPoll = record("assemblyai", "transcript.get", 2_000);
        assertThrows(CallExtractor.NotRecorded.class, () -> extractor.extract(
                call("GET", BASE + "/v2/transcript/" + id, null, null, 200, processing.bytes()), false, firstPoll));

        StageRecord failedPoll = record("assemblyai", "transcript.get", 2_500);
        assertThrows(CallExtractor.NotRecorded.class, () -> extractor.extract(
                call("GET", BASE + "/v2/transcript/" + id, null, null, 503,
                        "{\"error\":\"Service unavailable\"}".getBytes(StandardCharsets.UTF_8)), false, failedPoll),
                "a failed poll is retried by the application");

        StageRecord done = record("assemblyai", "transcript.get", 3_000);
        done.endEpochNanos = 4_000;
        extractor.extract(call("GET", BASE + "/v2/transcript/" + id, null, null, 200,
                resource("assemblyai-transcript-completed.json")), false, done);
        assertEquals("transcript", done.operation);
        assertEquals(1_000, done.startEpochNanos, "from the creating call's start");
        assertEquals(4_000, done.endEpochNanos);
        assertEquals("slam-1", done.model, "the creating request's options");
        assertEquals("https://storage.example.com/calls/2026-11-20/inbound-0042.mp3",
                done.input.get("audio").get("url").asText());
        assertEquals("Hello, this is a message for the reservations team, please call me back about my booking.",
                done.outputText);
        assertNull(done.error);

        StageRecord again = record("assemblyai", "transcript.get", 5_000);
        assertThrows(CallExtractor.NotRecorded.class, () -> extractor.extract(call("GET",
                BASE + "/v2/transcript/" + id, null, null, 200, resource("assemblyai-transcript-completed.json")),
                false, again), "a finished transcript is recorded once");
    }

    @Test
    void uploadedAudioGivesTheTranscriptItsSize() throws Exception {
        SpeechVendorApis extractor = new SpeechVendorApis();
        String url = "https://cdn.assemblyai.com/upload/ccbbbfaf-f319-4455-9556-272d48faaf7f";
        byte[] uploadAnswer = ("{\"upload_url\":\"" + url + "\"}").getBytes(StandardCharsets.UTF_8);
        StageRecord upload = record("assemblyai", "upload", 500);
        assertThrows(CallExtractor.NotRecorded.class, () -> extractor.extract(call("POST", BASE + "/v2/upload",
                "application/octet-stream", new byte[169_644], 200, uploadAnswer), false, upload));

        byte[] create = ("{\"audio_url\":\"" + url + "\",\"speech_model\":\"universal\"}")
                .getBytes(StandardCharsets.UTF_8);
        StageRecord created = record("assemblyai", "transcript", 1_000);
        assertThrows(CallExtractor.NotRecorded.class, () -> extractor.extract(call("POST", BASE + "/v2/transcript",
                "application/json", create, 200, resource("assemblyai-transcript-queued.json")), false, created));

        StageRecord done = record("assemblyai", "transcript.get", 3_000);
        extractor.extract(call("GET", BASE + "/v2/transcript/6b1f0a3e-92d4-4c57-8e1a-3f5d7b9c2a14", null, null, 200,
                resource("assemblyai-transcript-completed.json")), false, done);
        JsonNode audio = done.input.get("audio");
        assertEquals(url, audio.get("url").asText());
        assertEquals(169_644, audio.get("bytes").asLong());
        assertEquals("application/octet-stream", audio.get("content_type").asText());
        assertEquals(5.3, audio.get("duration_seconds").asDouble(), 1e-9);
        assertEquals("169644", done.metadata.get("audio_bytes"));
        assertEquals(1_000, done.startEpochNanos, "the transcript starts with its creation, not the upload");

        StageRecord failed = record("assemblyai", "upload", 9_000);
        extractor.extract(call("POST", BASE + "/v2/upload", "application/octet-stream", new byte[10], 401,
                "{\"error\":\"Authentication error, API token missing/invalid\"}".getBytes(StandardCharsets.UTF_8)),
                false, failed);
        assertEquals("HTTP 401: Authentication error, API token missing/invalid", failed.error,
                "a failed upload is recorded: no transcript follows it");
        assertEquals(10, failed.input.get("audio").get("bytes").asLong());
    }

    @Test
    void aPollOfAnUnseenTranscriptIsRecordedAlone() throws Exception {
        StageRecord record = record("assemblyai", "transcript.get", 7_000);
        new SpeechVendorApis().extract(call("GET", BASE + "/v2/transcript/x", null, null, 200,
                resource("assemblyai-transcript-error.json")), false, record);
        assertEquals(7_000, record.startEpochNanos);
        assertEquals("true", record.metadata.get("created_unseen"));
        assertEquals("9d3c2b1a-0f4e-4a8b-b7c6-5e4d3c2b1a09", record.metadata.get("transcript_id"),
                "the id the transcript names");
        assertEquals(true, record.error.startsWith("transcript error: Download error"));
    }

    @Test
    void aRejectedCallIsAnErrorWithTheVendorsMessage() throws Exception {
        StageRecord listen = record("deepgram", "listen", 1);
        new SpeechVendorApis().extract(call("POST", "https://api.deepgram.com/v1/listen?model=nova-3",
                "audio/wav", new byte[10], 401, resource("deepgram-error-401.json")), false, listen);
        assertEquals("HTTP 401: Invalid credentials.", listen.error);
        assertEquals("nova-3", listen.model);
        assertNull(listen.output);

        StageRecord speech = record("elevenlabs", "text_to_speech", 1);
        speech.kind = StageKind.TTS;
        new SpeechVendorApis().extract(call("POST", "https://api.elevenlabs.io/v1/text-to-speech/v1d",
                "application/json", "{\"text\":\"Hello\"}".getBytes(StandardCharsets.UTF_8), 401,
                resource("elevenlabs-error-401.json")), false, speech);
        assertEquals("HTTP 401: Invalid API key", speech.error);
        assertEquals("Hello", speech.inputText, "what was asked is still recorded");
        assertNull(speech.output);
    }

    @Test
    void aSpeechBodyThatCouldNotBeReadStillHasItsAudio() throws Exception {
        StageRecord speech = record("elevenlabs", "text_to_speech", 1);
        speech.kind = StageKind.TTS;
        HttpExchange exchange = new HttpExchange();
        exchange.onHeaders(200, Map.of("content-type", List.of("audio/mpeg")));
        exchange.onOtherBytes(4096);
        new SpeechVendorApis().extract(HttpCall.of("POST", URI.create("https://api.elevenlabs.io/v1/text-to-speech/v"),
                "application/json", 120, null, exchange), false, speech);
        assertNull(speech.inputText, "an input-stream publisher is never read");
        assertEquals(4096, speech.output.get("audio_bytes").asLong());
        assertEquals("audio/mpeg", speech.output.get("content_type").asText());
    }

    // ---- helpers ----

    private static StageRecord record(String provider, String operation, long start) {
        StageRecord record = new StageRecord();
        record.kind = StageKind.STT;
        record.provider = provider;
        record.operation = operation;
        record.startEpochNanos = start;
        return record;
    }

    private static HttpCall call(String method, String uri, String contentType, byte[] body, int status,
                                 byte[] responseJson) {
        HttpExchange exchange = new HttpExchange();
        exchange.onHeaders(status, Map.of("Content-Type", List.of("application/json")));
        exchange.onJsonBytes(responseJson, 0, responseJson.length);
        return HttpCall.of(method, URI.create(uri), contentType, body == null ? -1 : body.length, body, exchange);
    }

    private static byte[] resource(String name) throws Exception {
        return dev.voicetrace.agent.json.JsonFixtures.json("/speech/" + name).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A fixture to change before it is sent. */
    private static final class ObjectNodeEdit {
        final com.fasterxml.jackson.databind.node.ObjectNode node;

        ObjectNodeEdit(byte[] json) throws Exception {
            JsonNode tree = JSON.readTree(json);
            node = (com.fasterxml.jackson.databind.node.ObjectNode) tree;
        }

        byte[] bytes() {
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void noneListsNoHost() {
        HttpEndpoints off = new SpeechVendorApis().endpoints("none", " ", "NONE",
                CallObserver.SDK_RESULTS);
        assertEquals(true, off.isEmpty());
        assertNull(off.match("api.deepgram.com", -1, "POST", "/v1/listen"));
        assertEquals(List.of("a.example", "b.example:81"), HttpEndpoints.hostList(" a.example, ,b.example:81 "));
    }

    @Test
    void sameSpecForEveryCallOfAnEndpoint() {
        assertSame(match("api.deepgram.com", -1, "POST", "/v1/listen"),
                match("api.deepgram.com", 443, "POST", "/v1/listen"));
    }
}
