package dev.voicetrace.agent.googlespeech;

/** The bidirectional streams of Google's speech APIs that the agent understands, by request type. */
enum StreamKind {
    STT_V1("com.google.cloud.speech.v1.StreamingRecognizeRequest", "google-speech", "speech.v1.StreamingRecognize",
            true, "getAudioContent"),
    STT_V2("com.google.cloud.speech.v2.StreamingRecognizeRequest", "google-speech", "speech.v2.StreamingRecognize",
            true, "getAudio"),
    TTS_V1("com.google.cloud.texttospeech.v1.StreamingSynthesizeRequest", "google-texttospeech",
            "texttospeech.v1.StreamingSynthesize", false, null);

    final String requestType;
    final String responseType;
    final String provider;
    final String operation;
    final boolean recognition;
    final String audioGetter;

    StreamKind(String requestType, String provider, String operation, boolean recognition, String audioGetter) {
        this.requestType = requestType;
        this.responseType = requestType.substring(0, requestType.length() - "Request".length()) + "Response";
        this.provider = provider;
        this.operation = operation;
        this.recognition = recognition;
        this.audioGetter = audioGetter;
    }

    /** The kind of a stream whose requests have this type, or null for any other stream. */
    static StreamKind ofRequest(Class<?> type) {
        String name = type.getName();
        for (StreamKind kind : values()) {
            if (kind.requestType.equals(name)) {
                return kind;
            }
        }
        return null;
    }

    /** The kind of a stream whose responses have this type, or null. */
    static StreamKind ofResponse(Class<?> type) {
        String name = type.getName();
        for (StreamKind kind : values()) {
            if (kind.responseType.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
