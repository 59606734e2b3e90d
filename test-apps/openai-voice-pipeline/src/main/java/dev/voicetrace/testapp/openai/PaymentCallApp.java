package dev.voicetrace.testapp.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.models.ChatModel;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.speech.SpeechModel;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * One phone payment ({@link PaymentCallScript}) through the real openai-java client against the
 * embedded {@link MockOpenAiServer}: the transcript holds a card number, an e-mail address and a
 * phone number, the model's tool call carries them as arguments, the reply repeats them, the speech
 * call speaks them, and a refund request fails with an error that quotes them. The application's
 * own output names none of them (it prints sizes only), so whatever of them appears anywhere came
 * from the agent. {@code --mdc-session ID} puts the session id into SLF4J's MDC first.
 */
public final class PaymentCallApp {

    private PaymentCallApp() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--mdc-session")) {
            org.slf4j.MDC.put("sessionId", args[1]);
        }
        try (MockOpenAiServer mock = new MockOpenAiServer().start()) {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(VoicePipelineApp.FAKE_API_KEY)
                    .baseUrl(mock.baseUrl())
                    .maxRetries(0)
                    .build();
            try {
                run(client);
            } finally {
                client.close();
            }
        }
    }

    private static void run(OpenAIClient client) throws Exception {
        TranscriptionCreateParams transcription = TranscriptionCreateParams.builder()
                .file(MultipartField.<InputStream>builder()
                        .value(new ByteArrayInputStream(WavAudio.saying(PaymentCallScript.UTTERANCE, 1500)))
                        .filename("payment-call.wav")
                        .contentType("audio/wav")
                        .build())
                .model(AudioModel.GPT_4O_TRANSCRIBE)
                .build();
        String heard = client.audio().transcriptions().create(transcription).asTranscription().text();

        ChatCompletionCreateParams.Builder chat = ChatCompletionCreateParams.builder()
                .model(ChatModel.GPT_4O_MINI)
                .addSystemMessage("You take card payments over the phone.")
                .addUserMessage(heard)
                .addFunctionTool(paymentTool());
        ChatCompletion first = client.chat().completions().create(chat.build());
        ChatCompletionMessage message = first.choices().get(0).message();
        List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElse(List.of());
        chat.addMessage(message);
        for (ChatCompletionMessageToolCall call : calls) {
            ChatCompletionMessageFunctionToolCall function = call.asFunction();
            chat.addMessage(ChatCompletionToolMessageParam.builder()
                    .toolCallId(function.id())
                    .content(PaymentCallScript.TOOL_RESULT)
                    .build());
        }
        String reply = client.chat().completions().create(chat.build()).choices().get(0).message().content()
                .orElse("");

        long speechBytes;
        try (HttpResponse speech = client.audio().speech().create(SpeechCreateParams.builder()
                .input(reply)
                .model(SpeechModel.GPT_4O_MINI_TTS)
                .voice(VoicePipelineApp.TTS_VOICE)
                .responseFormat(SpeechCreateParams.ResponseFormat.WAV)
                .build());
             InputStream body = speech.body()) {
            speechBytes = body.readAllBytes().length;
        }

        String refund;
        try {
            client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(ChatModel.GPT_4O_MINI)
                    .addUserMessage(PaymentCallScript.REFUND_REQUEST)
                    .build());
            refund = "accepted";
        } catch (RuntimeException e) {
            refund = "failed: " + e.getClass().getSimpleName();
        }
        System.out.println("payment call: heard " + heard.length() + " chars, " + calls.size() + " tool call(s), reply "
                + reply.length() + " chars, speech " + speechBytes + " bytes, refund " + refund);
    }

    private static FunctionDefinition paymentTool() {
        return FunctionDefinition.builder()
                .name(PaymentCallScript.PAYMENT_TOOL)
                .description("Charge the caller's card.")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                "card_number", Map.of("type", "string"),
                                "email", Map.of("type", "string"),
                                "phone", Map.of("type", "string"),
                                "amount_eur", Map.of("type", "number"))))
                        .build())
                .build();
    }
}
