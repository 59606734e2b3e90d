package dev.voicetrace.testapp.cloudspeech;

import java.io.PrintStream;

/**
 * A voice bot on cloud speech SDKs, against loopback stand-ins of the services. Its output is
 * deterministic: with or without a tracing agent attached it prints the same lines.
 *
 * <p>Usage: {@code java -jar cloud-speech-app.jar [--scenario all|polly|google]}
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
        if (scenario.equals("all") || scenario.equals("polly")) {
            runPolly(out);
        }
        out.println("cloud speech done");
    }

    static void runPolly(PrintStream out) throws Exception {
        try (MockPollyServer server = new MockPollyServer();
             PollyScenarios polly = new PollyScenarios(server.endpoint(), out)) {
            polly.speakStreamed("polly-1", "It is sunny in Lisbon today, twenty three degrees.");
            polly.speakSsmlAsBytes("polly-2",
                    "<speak>Your table is booked for <break time=\"300ms\"/> eight o'clock.</speak>");
            polly.speakInterrupted("polly-3", "Let me read you the whole list of our opening hours for every day.");
            polly.speakAsync("polly-4", "Goodbye, and thank you for calling.");
            polly.speakWithUnknownVoice("polly-5");
        }
    }
}
