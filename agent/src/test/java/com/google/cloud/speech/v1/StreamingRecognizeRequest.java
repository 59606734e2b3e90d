package com.google.cloud.speech.v1;

/**
 * A test stand-in with the name and the public getters of the generated message, enough for the
 * agent's reflective reads: a first request with the streaming config, then audio chunks.
 */
public final class StreamingRecognizeRequest {

    private final StreamingConfig config;
    private final Bytes audio;

    private StreamingRecognizeRequest(StreamingConfig config, Bytes audio) {
        this.config = config;
        this.audio = audio;
    }

    public static StreamingRecognizeRequest config(String languageCode, int sampleRateHertz, boolean interim) {
        return new StreamingRecognizeRequest(new StreamingConfig(new Config(languageCode, sampleRateHertz), interim),
                new Bytes(0));
    }

    public static StreamingRecognizeRequest audio(int bytes) {
        return new StreamingRecognizeRequest(null, new Bytes(bytes));
    }

    public boolean hasStreamingConfig() {
        return config != null;
    }

    public StreamingConfig getStreamingConfig() {
        return config;
    }

    public Bytes getAudioContent() {
        return audio;
    }

    public static final class StreamingConfig {
        private final Config config;
        private final boolean interim;

        StreamingConfig(Config config, boolean interim) {
            this.config = config;
            this.interim = interim;
        }

        public Config getConfig() {
            return config;
        }

        public boolean getInterimResults() {
            return interim;
        }
    }

    public static final class Config {
        private final String language;
        private final int rate;

        Config(String language, int rate) {
            this.language = language;
            this.rate = rate;
        }

        public Encoding getEncoding() {
            return Encoding.LINEAR16;
        }

        public int getSampleRateHertz() {
            return rate;
        }

        public String getLanguageCode() {
            return language;
        }

        public String getModel() {
            return "latest_long";
        }
    }

    public enum Encoding { ENCODING_UNSPECIFIED, LINEAR16 }

    /** Stands for protobuf's ByteString: only its size is read. */
    public static final class Bytes {
        private final int size;

        Bytes(int size) {
            this.size = size;
        }

        public int size() {
            return size;
        }
    }
}
