package dev.voicetrace.agent.http;

import dev.voicetrace.agent.assemblyai.AssemblyAiApi;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.deepgram.DeepgramApi;
import dev.voicetrace.agent.elevenlabs.ElevenLabsApi;
import dev.voicetrace.agent.model.StageRecord;

/**
 * The speech vendors' REST APIs put together the way the runtime does: one API object (and so
 * one extractor, with its state) per vendor, its paths matched on the hosts given.
 */
final class SpeechVendorApis {

    private final DeepgramApi deepgram = new DeepgramApi();
    private final ElevenLabsApi elevenlabs = new ElevenLabsApi();
    private final AssemblyAiApi assemblyai = new AssemblyAiApi();

    HttpEndpoints endpoints(String deepgramHosts, String elevenlabsHosts, String assemblyaiHosts,
                            CallObserver observer) {
        return new HttpEndpoints()
                .add(HttpEndpoints.hostList(deepgramHosts), deepgram.rules(observer))
                .add(HttpEndpoints.hostList(elevenlabsHosts), elevenlabs.rules(observer))
                .add(HttpEndpoints.hostList(assemblyaiHosts), assemblyai.rules(observer));
    }

    /** Reads {@code http} with the extractor of the vendor whose path it is, as the pipeline would. */
    void extract(HttpCall http, boolean interrupted, StageRecord record) throws Exception {
        OperationSpec spec = endpoints(http.uri.getHost(), http.uri.getHost(), http.uri.getHost(),
                CallObserver.SDK_RESULTS).match(http.uri.getHost(), http.uri.getPort(), http.method,
                http.uri.getRawPath());
        if (spec == null) {
            throw new IllegalArgumentException("no vendor serves " + http.method + " " + http.uri);
        }
        ((RestCallExtractor) spec.extractor).extract(http, interrupted, record);
    }
}
