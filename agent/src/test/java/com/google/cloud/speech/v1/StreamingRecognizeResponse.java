package com.google.cloud.speech.v1;

import java.util.List;

/** A test stand-in with the name and the public getters of the generated message. */
public final class StreamingRecognizeResponse {

    private final List<Result> results;
    private final Duration billed;

    private StreamingRecognizeResponse(List<Result> results, Duration billed) {
        this.results = results;
        this.billed = billed;
    }

    public static StreamingRecognizeResponse interim(String transcript) {
        return new StreamingRecognizeResponse(List.of(new Result(transcript, 0f, false)), new Duration(0));
    }

    public static StreamingRecognizeResponse fin(String transcript, float confidence, long billedSeconds) {
        return new StreamingRecognizeResponse(List.of(new Result(transcript, confidence, true)),
                new Duration(billedSeconds));
    }

    public List<Result> getResultsList() {
        return results;
    }

    public Duration getTotalBilledTime() {
        return billed;
    }

    public static final class Result {
        private final Alternative alternative;
        private final boolean isFinal;

        Result(String transcript, float confidence, boolean isFinal) {
            this.alternative = new Alternative(transcript, confidence);
            this.isFinal = isFinal;
        }

        public List<Alternative> getAlternativesList() {
            return List.of(alternative);
        }

        public boolean getIsFinal() {
            return isFinal;
        }

        public String getLanguageCode() {
            return "en-us";
        }
    }

    public static final class Alternative {
        private final String transcript;
        private final float confidence;

        Alternative(String transcript, float confidence) {
            this.transcript = transcript;
            this.confidence = confidence;
        }

        public String getTranscript() {
            return transcript;
        }

        public float getConfidence() {
            return confidence;
        }
    }

    /** Stands for google.protobuf.Duration. */
    public static final class Duration {
        private final long seconds;

        Duration(long seconds) {
            this.seconds = seconds;
        }

        public long getSeconds() {
            return seconds;
        }

        public int getNanos() {
            return 0;
        }
    }
}
