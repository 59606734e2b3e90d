package dev.voicetrace.testapp.cloud;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.Tool;
import com.google.genai.types.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Calls through the real google-genai client: sync, streaming, early close, function call, async. */
final class GenAiScenario {

    static final String API_KEY = "demo-gemini-key-6c1f0e9a";
    static final String MODEL = "gemini-2.5-flash";

    private GenAiScenario() {}

    static void run(String baseUrl) throws Exception {
        try (Client client = Client.builder().apiKey(API_KEY)
                .httpOptions(HttpOptions.builder().baseUrl(baseUrl).build()).build()) {
            Content system = Content.fromParts(Part.fromText("You are a friendly voice guide for Lisbon."));
            GenerateContentConfig config = GenerateContentConfig.builder()
                    .systemInstruction(system).temperature(0.7f).maxOutputTokens(256).build();

            GenerateContentResponse sync = client.models.generateContent(MODEL,
                    "Hi! Is it a good afternoon for a walk?", config);
            System.out.println("genai sync: " + sync.text());

            StringBuilder streamed = new StringBuilder();
            try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL,
                    "What should I see on the way to the river?", config)) {
                for (GenerateContentResponse chunk : stream) {
                    streamed.append(chunk.text());
                }
            }
            System.out.println("genai stream: " + streamed);

            try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL,
                    "Tell me about the lift once more.", config)) {
                Iterator<GenerateContentResponse> chunks = stream.iterator();
                System.out.println("genai stream first chunk: " + chunks.next().text());
            }

            toolCall(client, system);

            GenerateContentConfig thinking = GenerateContentConfig.builder().systemInstruction(system)
                    .thinkingConfig(ThinkingConfig.builder().thinkingBudget(0).build()).build();
            GenerateContentResponse async = client.async.models.generateContent("gemini-2.5-pro",
                    "How often does Tram 28 run?", thinking).join();
            System.out.println("genai async: " + async.text());

            try {
                client.models.generateContent("gemini-0-unknown", "Hello?", GenerateContentConfig.builder().build());
            } catch (ApiException e) {
                System.out.println("genai error: " + e.code() + " " + e.status());
            }
        }
    }

    private static void toolCall(Client client, Content system) {
        FunctionDeclaration weather = FunctionDeclaration.builder().name("get_weather")
                .description("Current weather for a city")
                .parameters(Schema.builder().type(Type.Known.OBJECT)
                        .properties(Map.of("city", Schema.builder().type(Type.Known.STRING).build(),
                                "unit", Schema.builder().type(Type.Known.STRING).build()))
                        .required(List.of("city")).build())
                .build();
        GenerateContentConfig config = GenerateContentConfig.builder().systemInstruction(system)
                .tools(Tool.builder().functionDeclarations(weather).build()).build();
        List<Content> history = new ArrayList<>();
        history.add(Content.builder().role("user").parts(Part.fromText("What's the weather in Lisbon?")).build());
        GenerateContentResponse first = client.models.generateContent(MODEL, history, config);
        FunctionCall call = first.functionCalls().get(0);
        System.out.println("genai tool call: " + call.name().orElse("") + " " + new java.util.TreeMap<>(
                call.args().orElse(Map.of())));
        history.add(first.candidates().get().get(0).content().get());
        history.add(Content.builder().role("user").parts(Part.fromFunctionResponse("get_weather",
                Map.of("temperature", 19, "condition", "sunny"))).build());
        GenerateContentResponse second = client.models.generateContent(MODEL, history, config);
        System.out.println("genai tool answer: " + second.text());
    }
}
