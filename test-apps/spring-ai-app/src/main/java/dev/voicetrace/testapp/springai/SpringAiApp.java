package dev.voicetrace.testapp.springai;

import java.util.List;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot command-line application: its runner asks Spring AI's OpenAI chat model one
 * question with {@code call} and one with {@code stream}, against a loopback stand-in for the
 * OpenAI API, prints the replies (the same on every run) and exits.
 */
@SpringBootApplication
public class SpringAiApp {

    /** A demo key: sent to the loopback stand-in only, and never exported by the agent. */
    static final String DEMO_KEY = "sk-test-voicetrace-springai-000000000000";
    static final String SYSTEM = "You are a concise travel assistant for Lisbon.";

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
        };
    }
}
