package dev.voicetrace.testapp.cloud;

/**
 * Runs the Google GenAI and the Bedrock Runtime scenarios against embedded loopback stand-ins.
 * Arguments: {@code genai}, {@code bedrock}, or none for both. Output is deterministic.
 */
public final class CloudLlmApp {

    private CloudLlmApp() {}

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "all" : args[0];
        if (which.equals("all") || which.equals("genai")) {
            try (MockGeminiServer gemini = new MockGeminiServer()) {
                GenAiScenario.run(gemini.baseUrl());
                System.out.println("genai requests served: " + gemini.requests());
            }
        }
        if (which.equals("all") || which.equals("bedrock")) {
            try (MockBedrockServer bedrock = new MockBedrockServer()) {
                BedrockScenario.run(bedrock.endpoint());
                System.out.println("bedrock requests served: " + bedrock.requests());
            }
        }
        System.out.println("done");
    }
}
