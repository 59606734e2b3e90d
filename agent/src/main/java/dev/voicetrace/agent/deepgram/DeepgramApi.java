package dev.voicetrace.agent.deepgram;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.http.HttpEndpoints;
import dev.voicetrace.agent.http.RestCallExtractor;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.provider.HttpApi;

/** Deepgram's REST paths: {@code POST /v1/listen} and {@code POST /v1/speak}. */
public final class DeepgramApi implements HttpApi {

    static final String PROVIDER = "deepgram";
    static final String LISTEN = "listen";
    static final String SPEAK = "speak";

    private final CallExtractor extractor;

    public DeepgramApi() {
        this(new DeepgramRestExtractor());
    }

    DeepgramApi(CallExtractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public HttpEndpoints.PathRules rules(CallObserver observer) {
        OperationSpec listen = new OperationSpec(PROVIDER, LISTEN, StageKind.STT, false, extractor, observer, false);
        OperationSpec speak = new OperationSpec(PROVIDER, SPEAK, StageKind.TTS, false, extractor, observer, false);
        return (method, path) -> {
            if (!"POST".equals(method)) {
                return null;
            }
            String p = RestCallExtractor.trimSlash(path);
            return "/v1/listen".equals(p) ? listen : "/v1/speak".equals(p) ? speak : null;
        };
    }
}
