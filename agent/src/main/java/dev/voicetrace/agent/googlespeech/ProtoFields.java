package dev.voicetrace.agent.googlespeech;

import dev.voicetrace.agent.capture.SdkMembers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.json.Json;
import java.util.List;

/**
 * Reads generated protobuf messages of Google's speech APIs through their public getters and
 * writes what the agent needs in the shape of the APIs' documented REST JSON (camelCase fields,
 * enums by name, durations as {@code "1.500s"}). Audio content is never copied: only its size.
 * Runs on the processing thread.
 */
final class ProtoFields {

    private static final JsonNodeFactory JSON = Json.NODES;

    private ProtoFields() {}

    /** The value of a public no-argument getter, or null when the message has no such getter. */
    static Object get(Object message, String getter) {
        return SdkMembers.get(message, getter);
    }

    static boolean has(Object message, String field) {
        // Only message and optional fields have a has-method; a plain scalar field has none.
        return Boolean.TRUE.equals(SdkMembers.probe(message, "has" + field));
    }

    /** Copies a scalar getter (string, number, boolean, enum) unless it holds the proto default. */
    static void scalar(ObjectNode node, String field, Object message, String getter) {
        putScalar(node, field, get(message, getter));
    }

    /**
     * Like {@link #scalar} for a field only some of the messages read here have (a streaming
     * response's {@code is_final}, not a unary one's): its absence is not SDK drift.
     */
    static void scalarIfPresent(ObjectNode node, String field, Object message, String getter) {
        putScalar(node, field, SdkMembers.probe(message, getter));
    }

    private static void putScalar(ObjectNode node, String field, Object value) {
        if (value instanceof String) {
            if (!((String) value).isEmpty()) {
                node.put(field, (String) value);
            }
        } else if (value instanceof Integer || value instanceof Long) {
            if (((Number) value).longValue() != 0) {
                node.put(field, ((Number) value).longValue());
            }
        } else if (value instanceof Float || value instanceof Double) {
            if (((Number) value).doubleValue() != 0) {
                node.put(field, ((Number) value).doubleValue());
            }
        } else if (value instanceof Boolean) {
            if ((Boolean) value) {
                node.put(field, true);
            }
        } else if (value instanceof Enum) {
            String name = ((Enum<?>) value).name();
            if (!name.endsWith("_UNSPECIFIED") && !"UNRECOGNIZED".equals(name)) {
                node.put(field, name);
            }
        }
    }

    /** The size of a {@code ByteString} field, -1 when absent. */
    static long byteSize(Object message, String getter) {
        Object bytes = get(message, getter);
        Object size = get(bytes, "size");
        return size instanceof Integer ? (Integer) size : -1;
    }

    /** A {@code google.protobuf.Duration} as its JSON string, or null when zero or absent. */
    static String duration(Object duration) {
        Object seconds = get(duration, "getSeconds");
        Object nanos = get(duration, "getNanos");
        if (!(seconds instanceof Long) || !(nanos instanceof Integer)) {
            return null;
        }
        long s = (Long) seconds;
        int n = (Integer) nanos;
        if (s == 0 && n == 0) {
            return null;
        }
        return n == 0 ? s + "s" : String.format(java.util.Locale.ROOT, "%d.%09ds", s, n).replaceAll("0+s$", "s");
    }

    static List<?> list(Object message, String getter) {
        Object value = get(message, getter);
        return value instanceof List ? (List<?>) value : java.util.Collections.emptyList();
    }

    // ---- Speech-to-Text ----

    /** v1 {@code RecognitionConfig}. */
    static ObjectNode v1Config(Object config) {
        ObjectNode node = JSON.objectNode();
        scalar(node, "encoding", config, "getEncoding");
        scalar(node, "sampleRateHertz", config, "getSampleRateHertz");
        scalar(node, "audioChannelCount", config, "getAudioChannelCount");
        scalar(node, "languageCode", config, "getLanguageCode");
        scalar(node, "model", config, "getModel");
        scalar(node, "useEnhanced", config, "getUseEnhanced");
        scalar(node, "enableAutomaticPunctuation", config, "getEnableAutomaticPunctuation");
        scalar(node, "maxAlternatives", config, "getMaxAlternatives");
        return node;
    }

    /** v2 {@code RecognitionConfig}. */
    static ObjectNode v2Config(Object config) {
        ObjectNode node = JSON.objectNode();
        scalar(node, "model", config, "getModel");
        ArrayNode languages = node.putArray("languageCodes");
        for (Object language : list(config, "getLanguageCodesList")) {
            languages.add(String.valueOf(language));
        }
        if (has(config, "ExplicitDecodingConfig")) {
            Object explicit = get(config, "getExplicitDecodingConfig");
            ObjectNode decoding = node.putObject("explicitDecodingConfig");
            scalar(decoding, "encoding", explicit, "getEncoding");
            scalar(decoding, "sampleRateHertz", explicit, "getSampleRateHertz");
            scalar(decoding, "audioChannelCount", explicit, "getAudioChannelCount");
        } else if (has(config, "AutoDecodingConfig")) {
            node.putObject("autoDecodingConfig");
        }
        Object features = get(config, "getFeatures");
        if (features != null) {
            ObjectNode f = JSON.objectNode();
            scalar(f, "enableAutomaticPunctuation", features, "getEnableAutomaticPunctuation");
            scalar(f, "maxAlternatives", features, "getMaxAlternatives");
            if (f.size() > 0) {
                node.set("features", f);
            }
        }
        return node;
    }

    /** A {@code RecognizeRequest} (v1 or v2), audio by size only. */
    static ObjectNode recognizeRequest(Object request, boolean v2) {
        ObjectNode node = JSON.objectNode();
        if (v2) {
            scalar(node, "recognizer", request, "getRecognizer");
            node.set("config", v2Config(get(request, "getConfig")));
            if (has(request, "Content") || byteSize(request, "getContent") > 0) {
                node.put("contentBytes", byteSize(request, "getContent"));
            }
            scalar(node, "uri", request, "getUri");
        } else {
            node.set("config", v1Config(get(request, "getConfig")));
            Object audio = get(request, "getAudio");
            ObjectNode a = node.putObject("audio");
            long size = byteSize(audio, "getContent");
            if (size > 0) {
                a.put("contentBytes", size);
            }
            scalar(a, "uri", audio, "getUri");
        }
        return node;
    }

    /** The first request of a recognition stream: its streaming config. */
    static ObjectNode streamingConfig(Object firstRequest, boolean v2) {
        ObjectNode node = JSON.objectNode();
        Object streaming = get(firstRequest, "getStreamingConfig");
        if (v2) {
            scalar(node, "recognizer", firstRequest, "getRecognizer");
            ObjectNode config = node.putObject("streamingConfig");
            config.set("config", v2Config(get(streaming, "getConfig")));
            ObjectNode features = config.putObject("streamingFeatures");
            scalar(features, "interimResults", get(streaming, "getStreamingFeatures"), "getInterimResults");
        } else {
            ObjectNode config = node.putObject("streamingConfig");
            config.set("config", v1Config(get(streaming, "getConfig")));
            scalar(config, "interimResults", streaming, "getInterimResults");
            scalar(config, "singleUtterance", streaming, "getSingleUtterance");
        }
        return node;
    }

    /** A {@code RecognizeResponse} or {@code StreamingRecognizeResponse}, v1 or v2. */
    static ObjectNode recognizeResponse(Object response, boolean v2) {
        ObjectNode node = JSON.objectNode();
        ArrayNode results = node.putArray("results");
        for (Object result : list(response, "getResultsList")) {
            ObjectNode r = results.addObject();
            ArrayNode alternatives = r.putArray("alternatives");
            for (Object alternative : list(result, "getAlternativesList")) {
                ObjectNode alt = alternatives.addObject();
                alt.put("transcript", String.valueOf(get(alternative, "getTranscript")));
                Object confidence = get(alternative, "getConfidence");
                if (confidence instanceof Float) {
                    alt.put("confidence", Math.round((Float) confidence * 1e6) / 1e6);
                }
            }
            scalarIfPresent(r, "isFinal", result, "getIsFinal");
            scalarIfPresent(r, "stability", result, "getStability");
            scalar(r, "languageCode", result, "getLanguageCode");
            String end = duration(get(result, v2 ? "getResultEndOffset" : "getResultEndTime"));
            if (end != null) {
                r.put(v2 ? "resultEndOffset" : "resultEndTime", end);
            }
        }
        scalarIfPresent(node, "speechEventType", response, "getSpeechEventType");
        if (v2) {
            Object metadata = get(response, "getMetadata");
            String billed = duration(get(metadata, "getTotalBilledDuration"));
            if (billed != null) {
                node.putObject("metadata").put("totalBilledDuration", billed);
            }
        } else {
            String billed = duration(get(response, "getTotalBilledTime"));
            if (billed != null) {
                node.put("totalBilledTime", billed);
            }
            scalar(node, "requestId", response, "getRequestId");
        }
        return node;
    }

    // ---- Text-to-Speech ----

    static ObjectNode voice(Object voice) {
        ObjectNode node = JSON.objectNode();
        scalar(node, "languageCode", voice, "getLanguageCode");
        scalar(node, "name", voice, "getName");
        scalar(node, "ssmlGender", voice, "getSsmlGender");
        scalar(node, "modelName", voice, "getModelName");
        return node;
    }

    static ObjectNode synthesisInput(Object input) {
        ObjectNode node = JSON.objectNode();
        scalar(node, "text", input, "getText");
        scalar(node, "ssml", input, "getSsml");
        scalar(node, "markup", input, "getMarkup");
        scalar(node, "prompt", input, "getPrompt");
        return node;
    }

    /** A {@code SynthesizeSpeechRequest}. */
    static ObjectNode synthesizeRequest(Object request) {
        ObjectNode node = JSON.objectNode();
        node.set("input", synthesisInput(get(request, "getInput")));
        node.set("voice", voice(get(request, "getVoice")));
        Object audio = get(request, "getAudioConfig");
        ObjectNode a = node.putObject("audioConfig");
        scalar(a, "audioEncoding", audio, "getAudioEncoding");
        scalar(a, "sampleRateHertz", audio, "getSampleRateHertz");
        scalar(a, "speakingRate", audio, "getSpeakingRate");
        scalar(a, "pitch", audio, "getPitch");
        return node;
    }

    /** The first request of a synthesis stream: its voice and audio settings. */
    static ObjectNode streamingSynthesizeConfig(Object firstRequest) {
        Object config = get(firstRequest, "getStreamingConfig");
        ObjectNode node = JSON.objectNode();
        node.set("voice", voice(get(config, "getVoice")));
        Object audio = get(config, "getStreamingAudioConfig");
        ObjectNode a = node.putObject("streamingAudioConfig");
        scalar(a, "audioEncoding", audio, "getAudioEncoding");
        scalar(a, "sampleRateHertz", audio, "getSampleRateHertz");
        scalar(a, "speakingRate", audio, "getSpeakingRate");
        return node;
    }
}
