package dev.voicetrace.testapp.langchain4j;

import dev.voicetrace.standin.chat.MockChatCompletions;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openaiofficial.OpenAiOfficialChatModel;
import dev.langchain4j.model.openaiofficial.OpenAiOfficialStreamingChatModel;
import dev.langchain4j.service.AiServices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A travel assistant on LangChain4j's OpenAI module: a blocking question, a streamed one and a
 * weather question answered through a tool call round trip, the same question to an AI Service
 * whose {@code @Tool} method LangChain4j runs, against a loopback stand-in for the OpenAI API. It prints what a user would see, the same on every run.
 */
public final class LangChain4jApp {

    /** A demo key: sent to the loopback stand-in only, and never exported by the agent. */
    static final String DEMO_KEY = "sk-test-voicetrace-lc4j-0000000000000000";
    static final String SYSTEM = "You are a concise travel assistant for Lisbon.";
    /** How long the AI Service's weather tool takes. */
    static final long TOOL_MILLIS = 150;

    private LangChain4jApp() {}

    public static void main(String[] args) throws Exception {
        try (MockChatCompletions mock = new MockChatCompletions()) {
            ChatModel model = OpenAiChatModel.builder()
                    .baseUrl(mock.baseUrl())
                    .apiKey(DEMO_KEY)
                    .modelName("gpt-4o-mini")
                    .temperature(0.3)
                    .maxTokens(200)
                    .build();
            StreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                    .baseUrl(mock.baseUrl())
                    .apiKey(DEMO_KEY)
                    .modelName("gpt-4o-mini")
                    .temperature(0.3)
                    .build();

            String plan = model.chat(ChatRequest.builder()
                    .messages(SystemMessage.from(SYSTEM), UserMessage.from("What can I see in Lisbon in one afternoon?"))
                    .temperature(0.3)
                    .maxOutputTokens(200)
                    .build()).aiMessage().text();
            System.out.println("blocking reply: " + plan);

            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            AtomicInteger partials = new AtomicInteger();
            streaming.chat(List.of(SystemMessage.from(SYSTEM), UserMessage.from("Suggest a dessert to try in Lisbon.")),
                    new StreamingChatResponseHandler() {
                        @Override
                        public void onPartialResponse(String partialResponse) {
                            partials.incrementAndGet();
                        }

                        @Override
                        public void onCompleteResponse(ChatResponse completeResponse) {
                            done.complete(completeResponse);
                        }

                        @Override
                        public void onError(Throwable error) {
                            done.completeExceptionally(error);
                        }
                    });
            ChatResponse streamed = done.get(30, TimeUnit.SECONDS);
            System.out.println("streamed reply: " + streamed.aiMessage().text() + " (" + partials.get() + " partials)");

            System.out.println("tool reply: " + weather(model));

            // An AI Service: LangChain4j runs the @Tool method the model asks for, then asks again.
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(new WeatherTools()).build();
            System.out.println("assistant reply: " + assistant.chat("Is it a good afternoon for a walk by the river?"));

            // The same questions through LangChain4j's module on the official openai-java SDK.
            ChatModel official = OpenAiOfficialChatModel.builder()
                    .baseUrl(mock.baseUrl())
                    .apiKey(DEMO_KEY)
                    .modelName("gpt-4o-mini")
                    .build();
            System.out.println("official blocking reply: " + official.chat(
                    ChatRequest.builder().messages(SystemMessage.from(SYSTEM),
                            UserMessage.from("What can I see in Lisbon in one afternoon?")).build()).aiMessage().text());
            StreamingChatModel officialStreaming = OpenAiOfficialStreamingChatModel.builder()
                    .baseUrl(mock.baseUrl())
                    .apiKey(DEMO_KEY)
                    .modelName("gpt-4o-mini")
                    .build();
            CompletableFuture<ChatResponse> officialDone = new CompletableFuture<>();
            officialStreaming.chat(List.of(SystemMessage.from(SYSTEM), UserMessage.from("Suggest a dessert to try in Lisbon.")),
                    new StreamingChatResponseHandler() {
                        @Override
                        public void onCompleteResponse(ChatResponse completeResponse) {
                            officialDone.complete(completeResponse);
                        }

                        @Override
                        public void onError(Throwable error) {
                            officialDone.completeExceptionally(error);
                        }
                    });
            System.out.println("official streamed reply: " + officialDone.get(30, TimeUnit.SECONDS).aiMessage().text());
        }
        // openai-java's HTTP client keeps non-daemon threads alive for a minute after the last call.
        System.exit(0);
    }

    /** The AI Service's interface: LangChain4j implements it. */
    interface Assistant {
        @dev.langchain4j.service.SystemMessage(SYSTEM)
        String chat(String message);
    }

    /** The assistant's tool: a weather lookup that takes {@link #TOOL_MILLIS}, as a remote service would. */
    static final class WeatherTools {
        @Tool(name = "get_weather", value = "Current weather for a city")
        String weather(@P("City name") String city) throws InterruptedException {
            long started = System.nanoTime();
            Thread.sleep(TOOL_MILLIS);
            String weather = "{\"city\":\"" + city + "\",\"temp_c\":21,\"sky\":\"sunny\"}";
            // The method's own time, on stderr: it varies, and stdout stays the same from run to run.
            System.err.println(String.format(java.util.Locale.ROOT, "tool get_weather ran ms: %.3f",
                    (System.nanoTime() - started) / 1e6));
            return weather;
        }
    }

    /** Asks about the weather; the model calls get_weather, the app answers it, the model replies. */
    private static String weather(ChatModel model) {
        ToolSpecification getWeather = ToolSpecification.builder()
                .name("get_weather")
                .description("Current weather for a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city", "City name").required("city").build())
                .build();
        List<ChatMessage> conversation = new ArrayList<>(List.of(SystemMessage.from(SYSTEM),
                UserMessage.from("Is it a good afternoon for a walk by the river?")));
        AiMessage call = model.chat(ChatRequest.builder().messages(conversation).toolSpecifications(getWeather).build())
                .aiMessage();
        conversation.add(call);
        for (ToolExecutionRequest request : call.toolExecutionRequests()) {
            System.out.println("tool call: " + request.name() + " " + request.arguments());
            conversation.add(ToolExecutionResultMessage.from(request, "{\"city\":\"Lisbon\",\"temp_c\":21,\"sky\":\"sunny\"}"));
        }
        return model.chat(ChatRequest.builder().messages(conversation).toolSpecifications(getWeather).build())
                .aiMessage().text();
    }
}
