package dev.voicetrace.agent.assemblyai;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.http.HttpEndpoints;
import dev.voicetrace.agent.http.RestCallExtractor;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.provider.HttpApi;

/** AssemblyAI's REST paths: transcript creation, its polls, and audio uploads. */
public final class AssemblyAiApi implements HttpApi {

    static final String PROVIDER = "assemblyai";
    static final String TRANSCRIPT = "transcript";
    /** The poll of a transcript's status; its record, when it has one, is named {@link #TRANSCRIPT}. */
    static final String TRANSCRIPT_POLL = "transcript.get";
    /** An audio upload whose URL a transcript request names later. */
    static final String UPLOAD = "upload";
    private static final String TRANSCRIPTS = "/v2/transcript/";

    private final CallExtractor extractor;

    public AssemblyAiApi() {
        this.extractor = new AssemblyAiRestExtractor();
    }

    @Override
    public HttpEndpoints.PathRules rules(CallObserver observer) {
        OperationSpec create = new OperationSpec(PROVIDER, TRANSCRIPT, StageKind.STT, false, extractor, observer,
                false);
        OperationSpec poll = new OperationSpec(PROVIDER, TRANSCRIPT_POLL, StageKind.STT, false, extractor, observer,
                false);
        OperationSpec upload = new OperationSpec(PROVIDER, UPLOAD, StageKind.STT, false, extractor, observer, false);
        return (method, path) -> {
            String p = RestCallExtractor.trimSlash(path);
            if ("POST".equals(method) && "/v2/transcript".equals(p)) {
                return create;
            }
            if ("POST".equals(method) && "/v2/upload".equals(p)) {
                return upload;
            }
            if ("GET".equals(method) && p.startsWith(TRANSCRIPTS) && p.indexOf('/', TRANSCRIPTS.length()) < 0
                    && p.length() > TRANSCRIPTS.length()) {
                return poll;
            }
            return null;
        };
    }

    /** The transcript id of a path {@code /v2/transcript/{id}}. */
    static String transcriptId(String path) {
        return RestCallExtractor.trimSlash(path).substring(TRANSCRIPTS.length());
    }
}
