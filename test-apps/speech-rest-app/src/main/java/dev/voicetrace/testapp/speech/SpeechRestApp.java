package dev.voicetrace.testapp.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A restaurant phone bot built on the speech vendors' REST APIs, called directly with the JDK's
 * {@code java.net.http.HttpClient} as most Java users do: per live turn the caller's audio is
 * transcribed by Deepgram ({@code /v1/listen}), answered by an OpenAI chat model (openai-java)
 * and spoken by ElevenLabs ({@code /v1/text-to-speech}, streamed and whole) or Deepgram
 * ({@code /v1/speak}), the third turn through OkHttp instead ({@code execute} and
 * {@code enqueue}); then a voicemail is transcribed by AssemblyAI (upload the audio, create a
 * transcript, poll until completed), answered and spoken the same way. {@code send} and {@code sendAsync}, and
 * string, byte-array and input-stream bodies, are all used. Output is deterministic.
 *
 * <p>Options: {@code --base-url URL} to use another server than the embedded {@link MockSpeechServer};
 * {@code --rounds N} and {@code --pause-ms M} to run the whole conversation N times, M ms apart
 * (an application that is already busy when an agent is attached to it).
 */
public final class SpeechRestApp {

    /** Demo credentials, sent only to the loopback mock. */
    static final String DEEPGRAM_KEY = "dg-test-voicetrace-4f7a1c9e2b6d8053";
    static final String ELEVENLABS_KEY = "xi-test-voicetrace-9b2e5d7c1a3f6084";
    static final String ASSEMBLYAI_KEY = "aai-test-voicetrace-6c1d8e3a7f2b5094";
    static final String OPENAI_KEY = "sk-test-voicetrace-speech-000000000000";

    static final String ELEVENLABS_VOICE = "21m00Tcm4TlvDq8ikWAM";
    static final String DEEPGRAM_VOICE_MODEL = "aura-2-thalia-en";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final OkHttpClient okhttp = new OkHttpClient();
    private final OpenAIClient openai;
    private final String base;
    private final PrintStream out;
    private final List<String[]> history = new ArrayList<>();

    SpeechRestApp(HttpClient http, OpenAIClient openai, String base, PrintStream out) {
        this.http = http;
        this.openai = openai;
        this.base = base;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = null;
        int rounds = 1;
        long pauseMillis = 0;
        for (int i = 0; i < args.length; i++) {
            if ("--base-url".equals(args[i]) && i + 1 < args.length) {
                baseUrl = args[++i];
            } else if ("--rounds".equals(args[i]) && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else if ("--pause-ms".equals(args[i]) && i + 1 < args.length) {
                pauseMillis = Long.parseLong(args[++i]);
            }
        }
        MockSpeechServer mock = null;
        if (baseUrl == null) {
            mock = new MockSpeechServer();
            mock.start();
            baseUrl = mock.baseUrl();
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        OpenAIClient openai = OpenAIOkHttpClient.builder().apiKey(OPENAI_KEY).baseUrl(baseUrl + "/v1").build();
        SpeechRestApp app = new SpeechRestApp(http, openai, baseUrl, System.out);
        try {
            for (int round = 1; round <= rounds; round++) {
                if (round > 1) {
                    Thread.sleep(pauseMillis);
                    app.history.clear();
                }
                app.run();
            }
        } finally {
            app.okhttp.dispatcher().executorService().shutdown();
            app.okhttp.connectionPool().evictAll();
            openai.close();
            if (mock != null) {
                mock.close();
            }
        }
    }

    void run() throws Exception {
        for (int turn = 1; turn <= 3; turn++) {
            String heard = turn == 3 ? deepgramListenOkHttp(callerAudio(turn)) : deepgramListen(callerAudio(turn), turn == 2);
            out.println("turn " + turn + " heard: " + heard);
            String reply = answer(heard);
            out.println("turn " + turn + " reply: " + reply);
            long bytes;
            if (turn == 1) {
                bytes = elevenLabsStream(reply);
            } else if (turn == 2) {
                bytes = elevenLabsWhole(reply);
            } else {
                bytes = deepgramSpeakOkHttp(reply);
            }
            out.println("turn " + turn + " speech bytes: " + bytes);
        }
        String voicemail = assemblyAiTranscript(assemblyAiUpload(callerAudio(4)));
        out.println("turn 4 heard: " + voicemail);
        String reply = answer(voicemail);
        out.println("turn 4 reply: " + reply);
        out.println("turn 4 speech bytes: " + deepgramSpeak(reply, true));
        out.println("pipeline done: 4 turns");
    }

    // ---- Deepgram speech-to-text: audio in the body, options in the query ----

    String deepgramListen(byte[] wav, boolean async) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base
                        + "/v1/listen?model=nova-3&language=en&smart_format=true&punctuate=true"))
                .header("Authorization", "Token " + DEEPGRAM_KEY)
                .header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(wav))
                .build();
        HttpResponse<String> response = async
                ? http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get()
                : http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = ok(response.statusCode(), JSON.readTree(response.body()));
        return body.path("results").path("channels").path(0).path("alternatives").path(0).path("transcript").asText();
    }

    // ---- Deepgram text-to-speech: linear16 WAV, read as a stream ----

    long deepgramSpeak(String text, boolean async) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("text", text);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/speak?model=" + DEEPGRAM_VOICE_MODEL
                        + "&encoding=linear16&sample_rate=24000"))
                .header("Authorization", "Token " + DEEPGRAM_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<InputStream> response = async
                ? http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).get()
                : http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        return drain(response);
    }

    // ---- the same Deepgram endpoints through OkHttp ----

    String deepgramListenOkHttp(byte[] wav) throws IOException {
        Request request = new Request.Builder()
                .url(base + "/v1/listen?model=nova-3&language=en&smart_format=true&punctuate=true")
                .header("Authorization", "Token " + DEEPGRAM_KEY)
                .post(RequestBody.create(wav, MediaType.get("audio/wav")))
                .build();
        try (Response response = okhttp.newCall(request).execute()) {
            JsonNode body = ok(response.code(), JSON.readTree(response.body().string()));
            return body.path("results").path("channels").path(0).path("alternatives").path(0).path("transcript")
                    .asText();
        }
    }

    /** Asynchronously ({@code enqueue}); the audio is read once the response has arrived. */
    long deepgramSpeakOkHttp(String text) throws Exception {
        String json = JSON.writeValueAsString(JSON.createObjectNode().put("text", text));
        Request request = new Request.Builder()
                .url(base + "/v1/speak?model=" + DEEPGRAM_VOICE_MODEL + "&encoding=linear16&sample_rate=24000")
                .header("Authorization", "Token " + DEEPGRAM_KEY)
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .build();
        CompletableFuture<Response> arrived = new CompletableFuture<>();
        okhttp.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                arrived.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                arrived.complete(response);
            }
        });
        long total = 0;
        try (Response response = arrived.get(); InputStream in = response.body().byteStream()) {
            if (response.code() != 200) {
                throw new IllegalStateException("HTTP " + response.code());
            }
            byte[] buffer = new byte[2048];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        }
        return total;
    }

    // ---- ElevenLabs text-to-speech ----

    private HttpRequest elevenLabsRequest(String path, String text) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("text", text).put("model_id", "eleven_flash_v2_5");
        body.putObject("voice_settings").put("stability", 0.5).put("similarity_boost", 0.75);
        return HttpRequest.newBuilder(URI.create(base + path + "?output_format=pcm_24000"))
                .header("xi-api-key", ELEVENLABS_KEY)
                .header("Content-Type", "application/json")
                .header("Accept", "audio/pcm")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
    }

    /** The streaming endpoint, played as the chunks arrive. */
    long elevenLabsStream(String text) throws Exception {
        HttpResponse<InputStream> response = http.send(
                elevenLabsRequest("/v1/text-to-speech/" + ELEVENLABS_VOICE + "/stream", text),
                HttpResponse.BodyHandlers.ofInputStream());
        return drain(response);
    }

    /** The whole-file endpoint, asynchronously into a byte array. */
    long elevenLabsWhole(String text) throws Exception {
        HttpResponse<byte[]> response = http.sendAsync(
                elevenLabsRequest("/v1/text-to-speech/" + ELEVENLABS_VOICE, text),
                HttpResponse.BodyHandlers.ofByteArray()).get();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        return response.body().length;
    }

    // ---- AssemblyAI: create a transcript, poll until it is completed ----

    /** Uploads audio; AssemblyAI answers the URL to transcribe it from. */
    String assemblyAiUpload(byte[] audio) throws Exception {
        HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/upload"))
                        .header("Authorization", ASSEMBLYAI_KEY)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(audio))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return ok(uploaded.statusCode(), JSON.readTree(uploaded.body())).path("upload_url").asText();
    }

    String assemblyAiTranscript(String audioUrl) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("audio_url", audioUrl).put("speech_model", "universal")
                .put("language_code", "en_us").put("punctuate", true);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/transcript"))
                        .header("Authorization", ASSEMBLYAI_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String id = ok(created.statusCode(), JSON.readTree(created.body())).path("id").asText();
        for (int attempt = 0; attempt < 50; attempt++) {
            Thread.sleep(30);
            HttpResponse<byte[]> polled = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/transcript/" + id))
                            .header("Authorization", ASSEMBLYAI_KEY)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode transcript = ok(polled.statusCode(), JSON.readTree(polled.body()));
            String status = transcript.path("status").asText();
            if ("completed".equals(status)) {
                return transcript.path("text").asText();
            }
            if ("error".equals(status)) {
                throw new IllegalStateException("transcript failed: " + transcript.path("error").asText());
            }
        }
        throw new IllegalStateException("transcript " + id + " not completed");
    }

    // ---- the LLM ----

    String answer(String heard) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(ChatModel.GPT_4O_MINI)
                .maxCompletionTokens(200L)
                .addSystemMessage(Script.SYSTEM_PROMPT);
        for (String[] exchange : history) {
            params.addUserMessage(exchange[0]);
            params.addAssistantMessage(exchange[1]);
        }
        ChatCompletion completion = openai.chat().completions().create(params.addUserMessage(heard).build());
        String reply = completion.choices().get(0).message().content().orElse("");
        history.add(new String[] {heard, reply});
        return reply;
    }

    // ---- helpers ----

    private static long drain(HttpResponse<InputStream> response) throws IOException {
        long total = 0;
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] buffer = new byte[2048];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        }
        return total;
    }

    private static JsonNode ok(int status, JsonNode body) {
        if (status != 200) {
            throw new IllegalStateException("HTTP " + status + ": " + body);
        }
        return body;
    }

    /** The caller's audio for a turn: a 16 kHz, 16-bit mono WAV of 1.5 to 2.5 seconds. */
    static byte[] callerAudio(int turn) {
        int rate = 16_000;
        byte[] pcm = MockSpeechServer.tone(rate, rate * (1000 + 500 * turn) / 1000);
        return MockSpeechServer.concat(MockSpeechServer.wavHeader(rate, pcm.length), pcm);
    }
}
