package dev.voicetrace.agent.elevenlabs;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.http.HttpEndpoints;
import dev.voicetrace.agent.http.RestCallExtractor;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.provider.HttpApi;

/** ElevenLabs' REST paths: {@code POST /v1/text-to-speech/{voice_id}} and its {@code /stream} form. */
public final class ElevenLabsApi implements HttpApi {

    static final String PROVIDER = "elevenlabs";
    static final String TEXT_TO_SPEECH = "text_to_speech";
    private static final String PREFIX = "/v1/text-to-speech/";

    private final CallExtractor extractor;

    public ElevenLabsApi() {
        this.extractor = new ElevenLabsRestExtractor();
    }

    @Override
    public HttpEndpoints.PathRules rules(CallObserver observer) {
        OperationSpec tts = new OperationSpec(PROVIDER, TEXT_TO_SPEECH, StageKind.TTS, false, extractor, observer,
                false);
        OperationSpec ttsStream = new OperationSpec(PROVIDER, TEXT_TO_SPEECH, StageKind.TTS, true, extractor,
                observer, false);
        return (method, path) -> {
            if (!"POST".equals(method) || !path.startsWith(PREFIX)) {
                return null;
            }
            String rest = RestCallExtractor.trimSlash(path.substring(PREFIX.length()));
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return rest.isEmpty() || rest.equals("/") ? null : tts;
            }
            return slash > 0 && rest.substring(slash).equals("/stream") ? ttsStream : null;
        };
    }

    /** The voice id of a path {@code /v1/text-to-speech/{voice_id}[/stream]}. */
    static String voice(String path) {
        String rest = RestCallExtractor.trimSlash(path.substring(PREFIX.length()));
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
