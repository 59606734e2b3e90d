package dev.voicetrace.agent.speech;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.http.HttpEndpoints;
import dev.voicetrace.agent.model.StageKind;

/**
 * The REST endpoints of Deepgram, ElevenLabs and AssemblyAI that the agent recognises in HTTP
 * client calls, by path on the hosts configured for each vendor.
 */
public final class SpeechRestOperations {

    static final String DEEPGRAM = "deepgram";
    static final String ELEVENLABS = "elevenlabs";
    static final String ASSEMBLYAI = "assemblyai";

    static final String LISTEN = "listen";
    static final String SPEAK = "speak";
    static final String TEXT_TO_SPEECH = "text_to_speech";
    static final String TRANSCRIPT = "transcript";
    /** The poll of a transcript's status; its record, when it has one, is named {@link #TRANSCRIPT}. */
    static final String TRANSCRIPT_POLL = "transcript.get";
    /** An audio upload whose URL a transcript request names later. */
    static final String UPLOAD = "upload";

    private SpeechRestOperations() {}

    /** The reader of the vendors' calls; one for all HTTP clients, as a transcript's calls may use several. */
    public static CallExtractor newExtractor() {
        return new SpeechRestExtractor();
    }

    /** Like {@link #addTo(HttpEndpoints, String, String, String, CallObserver, CallExtractor)} with an extractor of its own. */
    public static HttpEndpoints addTo(HttpEndpoints endpoints, String deepgramHosts, String elevenlabsHosts,
                                      String assemblyaiHosts, CallObserver observer) {
        return addTo(endpoints, deepgramHosts, elevenlabsHosts, assemblyaiHosts, observer, newExtractor());
    }

    /**
     * Adds the three vendors' endpoints to {@code endpoints}, observed by {@code observer} (the
     * HTTP client's own) and read by {@code extractor} (see {@link #newExtractor()}).
     */
    public static HttpEndpoints addTo(HttpEndpoints endpoints, String deepgramHosts, String elevenlabsHosts,
                                      String assemblyaiHosts, CallObserver observer, CallExtractor extractor) {
        OperationSpec listen = new OperationSpec(DEEPGRAM, LISTEN, StageKind.STT, false, extractor, observer, false);
        OperationSpec speak = new OperationSpec(DEEPGRAM, SPEAK, StageKind.TTS, false, extractor, observer, false);
        OperationSpec tts = new OperationSpec(ELEVENLABS, TEXT_TO_SPEECH, StageKind.TTS, false, extractor, observer,
                false);
        OperationSpec ttsStream = new OperationSpec(ELEVENLABS, TEXT_TO_SPEECH, StageKind.TTS, true, extractor,
                observer, false);
        OperationSpec create = new OperationSpec(ASSEMBLYAI, TRANSCRIPT, StageKind.STT, false, extractor, observer,
                false);
        OperationSpec poll = new OperationSpec(ASSEMBLYAI, TRANSCRIPT_POLL, StageKind.STT, false, extractor, observer,
                false);
        OperationSpec upload = new OperationSpec(ASSEMBLYAI, UPLOAD, StageKind.STT, false, extractor, observer, false);
        endpoints.add(HttpEndpoints.hostList(deepgramHosts), (method, path) -> {
            if (!"POST".equals(method)) {
                return null;
            }
            String p = trimSlash(path);
            return "/v1/listen".equals(p) ? listen : "/v1/speak".equals(p) ? speak : null;
        });
        endpoints.add(HttpEndpoints.hostList(elevenlabsHosts), (method, path) -> {
            if (!"POST".equals(method) || !path.startsWith("/v1/text-to-speech/")) {
                return null;
            }
            String rest = trimSlash(path.substring("/v1/text-to-speech/".length()));
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return rest.isEmpty() || rest.equals("/") ? null : tts;
            }
            return slash > 0 && rest.substring(slash).equals("/stream") ? ttsStream : null;
        });
        endpoints.add(HttpEndpoints.hostList(assemblyaiHosts), (method, path) -> {
            String p = trimSlash(path);
            if ("POST".equals(method) && "/v2/transcript".equals(p)) {
                return create;
            }
            if ("POST".equals(method) && "/v2/upload".equals(p)) {
                return upload;
            }
            if ("GET".equals(method) && p.startsWith("/v2/transcript/")
                    && p.indexOf('/', "/v2/transcript/".length()) < 0 && p.length() > "/v2/transcript/".length()) {
                return poll;
            }
            return null;
        });
        return endpoints;
    }

    /** The voice id of an ElevenLabs path {@code /v1/text-to-speech/{voice_id}[/stream]}. */
    static String elevenLabsVoice(String path) {
        String rest = trimSlash(path.substring("/v1/text-to-speech/".length()));
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** The transcript id of an AssemblyAI path {@code /v2/transcript/{id}}. */
    static String transcriptId(String path) {
        return trimSlash(path).substring("/v2/transcript/".length());
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
