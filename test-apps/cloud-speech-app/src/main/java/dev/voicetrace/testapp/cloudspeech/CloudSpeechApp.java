package dev.voicetrace.testapp.cloudspeech;

import java.io.PrintStream;

/**
 * A voice bot on cloud speech SDKs, against loopback stand-ins of the services. Its output is
 * deterministic: with or without a tracing agent attached it prints the same lines.
 *
 * <p>Usage: {@code java -jar cloud-speech-app.jar [--scenario all|polly|google|transcribe]}
 */
public final class CloudSpeechApp {

    private CloudSpeechApp() {}

    public static void main(String[] args) throws Exception {
        String scenario = "all";
        for (int i = 0; i < args.length - 1; i++) {
            if ("--scenario".equals(args[i])) {
                scenario = args[i + 1];
            }
        }
        PrintStream out = System.out;
        if (scenario.equals("all")) {
            runVoiceBot(out);
        }
        if (scenario.equals("all") || scenario.equals("polly")) {
            runPolly(out);
        }
        if (scenario.equals("google")) {
            runGoogle(out);
        }
        if (scenario.equals("transcribe")) {
            runTranscribe(out);
        }
        out.println("cloud speech done");
    }

    /**
     * Six caller turns: each is heard by Google Speech-to-Text (v1 stream, v2 stream, v1 unary,
     * v2 unary, v1 long-running) or Amazon Transcribe streaming, most answered by a scripted reply
     * spoken by Polly or Google Text-to-Speech.
     */
    static void runVoiceBot(PrintStream out) throws Exception {
        try (MockPollyServer pollyServer = new MockPollyServer();
             PollyScenarios polly = new PollyScenarios(pollyServer.endpoint(), out);
             MockGoogleSpeechServer googleServer = new MockGoogleSpeechServer();
             GoogleScenarios google = new GoogleScenarios(googleServer, out);
             MockTranscribeStreamingServer transcribeServer = new MockTranscribeStreamingServer();
             TranscribeScenarios transcribe = new TranscribeScenarios(transcribeServer.endpoint(), out)) {
            google.hearStreamingV1(1, 2000);
            polly.speakStreamed("turn 1 said", ConversationScript.turn(1).reply());
            google.hearStreamingV2(2, 1600);
            google.speak(2, ConversationScript.turn(2).reply());
            google.hearV1(3, 1500);
            google.speakStreaming(3, ConversationScript.turn(3).reply());
            google.hearV2(4, 1000);
            polly.speakAsync("turn 4 said", ConversationScript.turn(4).reply());
            transcribe.hear(6, 1800);
            polly.speakStreamed("turn 6 said", ConversationScript.turn(6).reply());
            google.hearGarbage("google-1");
            google.hearLongRunningV1(5, 2500);
        }
    }

    static void runGoogle(PrintStream out) throws Exception {
        try (MockGoogleSpeechServer googleServer = new MockGoogleSpeechServer();
             GoogleScenarios google = new GoogleScenarios(googleServer, out)) {
            google.hearStreamingV1(1, 2000);
            google.speak(1, ConversationScript.turn(1).reply());
        }
    }

    /** One caller turn heard by Transcribe streaming and answered by Polly; a refused stream. */
    static void runTranscribe(PrintStream out) throws Exception {
        try (MockTranscribeStreamingServer transcribeServer = new MockTranscribeStreamingServer();
             TranscribeScenarios transcribe = new TranscribeScenarios(transcribeServer.endpoint(), out);
             MockPollyServer pollyServer = new MockPollyServer();
             PollyScenarios polly = new PollyScenarios(pollyServer.endpoint(), out)) {
            transcribe.hear(6, 1800);
            polly.speakStreamed("turn 6 said", ConversationScript.turn(6).reply());
            transcribe.hearUnsupportedRate("transcribe-1");
        }
    }

    static void runPolly(PrintStream out) throws Exception {
        try (MockPollyServer server = new MockPollyServer();
             PollyScenarios polly = new PollyScenarios(server.endpoint(), out)) {
            polly.speakSsmlAsBytes("polly-1",
                    "<speak>Your table is booked for <break time=\"300ms\"/> eight o'clock.</speak>");
            polly.speakInterrupted("polly-2", "Let me read you the whole list of our opening hours for every day.");
            polly.speakWithUnknownVoice("polly-3");
        }
    }
}
