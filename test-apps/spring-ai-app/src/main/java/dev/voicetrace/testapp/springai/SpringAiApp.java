package dev.voicetrace.testapp.springai;

import dev.voicetrace.standin.chat.MockChatCompletions;
import java.util.List;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot command-line application: its runner asks Spring AI's OpenAI chat model one
 * question with {@code call}, one with {@code stream} and one that a {@code @Tool} method answers
 * through Spring AI's tool calling manager, against a loopback stand-in for the
 * OpenAI API, prints the replies (the same on every run) and exits.
 */
@SpringBootApplication
public class SpringAiApp {

    /** A demo key: sent to the loopback stand-in only, and never exported by the agent. */
    static final String DEMO_KEY = "sk-test-voicetrace-springai-000000000000";
    static final String SYSTEM = "You are a concise travel assistant for Lisbon.";
    /** How long the weather tool takes. */
    static final long TOOL_MILLIS = 150;

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(SpringAiApp.class, args)));
    }

    @Bean(destroyMethod = "close")
    MockChatCompletions mockOpenAi() throws Exception {
        return new MockChatCompletions();
    }

    @Bean
    ChatModel chatModel(MockChatCompletions mock) {
        return OpenAiChatModel.builder()
                .options(OpenAiChatOptions.builder()
                        .baseUrl(mock.baseUrl())
                        .apiKey(DEMO_KEY)
                        .model("gpt-4o-mini")
                        .temperature(0.3)
                        .maxTokens(200)
                        .build())
                .build();
    }

    @Bean
    CommandLineRunner conversation(ChatModel chatModel) {
        return args -> {
            ChatResponse plan = chatModel.call(new Prompt(List.of(new SystemMessage(SYSTEM),
                    new UserMessage("What can I see in Lisbon in one afternoon?"))));
            System.out.println("call reply: " + plan.getResult().getOutput().getText());

            StringBuilder streamed = new StringBuilder();
            List<ChatResponse> chunks = chatModel.stream(new Prompt(List.of(new SystemMessage(SYSTEM),
                            new UserMessage("Suggest a dessert to try in Lisbon."))))
                    .doOnNext(chunk -> {
                        if (chunk.getResult() != null && chunk.getResult().getOutput().getText() != null) {
                            streamed.append(chunk.getResult().getOutput().getText());
                        }
                    })
                    .collectList()
                    .block();
            System.out.println("stream reply: " + streamed + " (" + (chunks == null ? 0 : chunks.size()) + " chunks)");

            // Tool calling: the model asks for get_weather, Spring AI's tool calling manager runs the
            // @Tool method, and the model is asked again with the result.
            ToolCallingManager toolCalling = ToolCallingManager.builder().build();
            Prompt prompt = new Prompt(List.of(new SystemMessage(SYSTEM),
                    new UserMessage("Is it a good afternoon for a walk by the river?")),
                    OpenAiChatOptions.builder().toolCallbacks(ToolCallbacks.from(new WeatherTools())).build());
            ChatResponse response = chatModel.call(prompt);
            while (response.hasToolCalls()) {
                ToolExecutionResult executed = toolCalling.executeToolCalls(prompt, response);
                prompt = new Prompt(executed.conversationHistory(), prompt.getOptions());
                response = chatModel.call(prompt);
            }
            System.out.println("tool reply: " + response.getResult().getOutput().getText());
        };
    }

    /** The tool: a weather lookup that takes {@link #TOOL_MILLIS}, as a remote service would. */
    static final class WeatherTools {
        @Tool(name = "get_weather", description = "Current weather for a city")
        String weather(@ToolParam(description = "City name") String city) throws InterruptedException {
            long started = System.nanoTime();
            Thread.sleep(TOOL_MILLIS);
            String weather = "{\"city\":\"" + city + "\",\"temp_c\":21,\"sky\":\"sunny\"}";
            // The method's own time, on stderr: it varies, and stdout stays the same from run to run.
            System.err.println(String.format(java.util.Locale.ROOT, "tool get_weather ran ms: %.3f",
                    (System.nanoTime() - started) / 1e6));
            return weather;
        }
    }
}
