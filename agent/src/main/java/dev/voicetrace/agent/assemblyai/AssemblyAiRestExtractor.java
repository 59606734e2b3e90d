package dev.voicetrace.agent.assemblyai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.capture.CallExtractor.NotRecorded;
import dev.voicetrace.agent.http.HttpCall;
import dev.voicetrace.agent.http.RestCallExtractor;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads AssemblyAI's REST calls. A transcript spans several calls: the request that creates it
 * is remembered (its start and options) and recorded together with the first poll that finds the
 * transcript completed or failed; polls before that, and repeated polls of a finished
 * transcript, record nothing. An audio upload is remembered by its URL and gives the transcript
 * naming it the audio's size. One instance serves every HTTP client (a transcript's calls may use
 * several); it runs on the agent's processing thread only, so its state needs no locking.
 */
final class AssemblyAiRestExtractor extends RestCallExtractor {

    /** Transcripts waiting for their result, and finished ones, remembered at most. */
    static final int MAX_TRANSCRIPTS = 1000;

    private final Map<String, PendingTranscript> pending = bounded();
    private final Map<String, Boolean> finished = bounded();
    /** Audio uploaded to AssemblyAI, by the URL its upload returned. */
    private final Map<String, Upload> uploads = bounded();

    private static final class PendingTranscript {
        final long startEpochNanos;
        final JsonNode request;
        final String contextSessionId;
        final Upload upload;

        PendingTranscript(long startEpochNanos, JsonNode request, String contextSessionId, Upload upload) {
            this.startEpochNanos = startEpochNanos;
            this.request = request;
            this.contextSessionId = contextSessionId;
            this.upload = upload;
        }
    }

    private static final class Upload {
        final long bytes;
        final String contentType;

        Upload(long bytes, String contentType) {
            this.bytes = bytes;
            this.contentType = contentType;
        }
    }

    @Override
    protected void read(Exchange call, StageRecord record) throws Exception {
        switch (record.operation) {
            case AssemblyAiApi.TRANSCRIPT:
                created(call, record);
                break;
            case AssemblyAiApi.TRANSCRIPT_POLL:
                polled(call, record);
                break;
            case AssemblyAiApi.UPLOAD:
                uploaded(call, record);
                break;
            default:
                throw new IllegalArgumentException("unknown AssemblyAI operation " + record.operation);
        }
    }

    /** A transcript was created: remembered until a poll finds it finished; a failed creation is recorded now. */
    private void created(Exchange call, StageRecord record) throws NotRecorded, IOException {
        JsonNode response = call.responseJson;
        JsonNode request = call.requestJson();
        AssemblyAiWireMapper.createRequest(request, record);
        if (call.failed || record.error != null || response == null) {
            return;
        }
        Upload upload = uploads.remove(request.path("audio_url").asText(""));
        uploadedAudio(upload, record);
        String id = AssemblyAiWireMapper.id(response);
        if (id != null && !isFinished(response)) {
            pending.put(id, new PendingTranscript(record.startEpochNanos, request, record.contextSessionId, upload));
            throw NotRecorded.INSTANCE;
        }
        if (id != null) {
            finished.put(id, Boolean.TRUE);
        }
        AssemblyAiWireMapper.transcript(response, record);
    }

    /** A poll: recorded, from the creating call's start, when it is the first to find the transcript finished. */
    private void polled(Exchange call, StageRecord record) throws NotRecorded {
        JsonNode response = call.responseJson;
        record.operation = AssemblyAiApi.TRANSCRIPT;
        String id = response != null && AssemblyAiWireMapper.id(response) != null ? AssemblyAiWireMapper.id(response)
                : AssemblyAiApi.transcriptId(call.path);
        // A poll that failed (network, 429, 5xx) is retried by the application: the transcript is
        // recorded by the poll that sees it finished.
        if (call.failed || record.error != null || response == null || !isFinished(response) || finished.containsKey(id)) {
            throw NotRecorded.INSTANCE;
        }
        PendingTranscript created = pending.remove(id);
        finished.put(id, Boolean.TRUE);
        if (created != null) {
            record.startEpochNanos = created.startEpochNanos;
            if (record.contextSessionId == null) {
                record.contextSessionId = created.contextSessionId;
            }
            AssemblyAiWireMapper.createRequest(created.request, record);
            uploadedAudio(created.upload, record);
        } else {
            record.metadata.put("created_unseen", "true");
        }
        // The observation spans the whole job; its output arrived with this poll.
        record.firstOutputEpochNanos = 0;
        AssemblyAiWireMapper.transcript(response, record);
    }

    /**
     * An audio upload: remembered by its URL, so that the transcript request naming it has the
     * audio's size; a failed upload is recorded as the failed speech-to-text step it is.
     */
    private void uploaded(Exchange call, StageRecord record) throws NotRecorded {
        HttpCall http = call.http;
        JsonNode response = call.responseJson;
        String url = response == null ? null : response.path("upload_url").asText(null);
        if (call.failed || record.error != null || url == null) {
            uploadedAudio(new Upload(http.requestContentLength, http.requestContentType), record);
            return;
        }
        uploads.put(url, new Upload(http.requestContentLength, http.requestContentType));
        throw NotRecorded.INSTANCE;
    }

    private static void uploadedAudio(Upload upload, StageRecord record) {
        if (upload == null) {
            return;
        }
        ObjectNode input = record.input instanceof ObjectNode ? (ObjectNode) record.input : Json.object();
        ObjectNode audio = input.path("audio").isObject() ? (ObjectNode) input.get("audio") : input.putObject("audio");
        if (upload.contentType != null) {
            audio.put("content_type", upload.contentType);
        }
        if (upload.bytes >= 0) {
            audio.put("bytes", upload.bytes);
            record.metadata.put("audio_bytes", Long.toString(upload.bytes));
        }
        record.input = input;
    }

    private static boolean isFinished(JsonNode transcript) {
        String status = AssemblyAiWireMapper.status(transcript);
        return "completed".equals(status) || "error".equals(status);
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<String, V>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_TRANSCRIPTS;
            }
        };
    }
}
