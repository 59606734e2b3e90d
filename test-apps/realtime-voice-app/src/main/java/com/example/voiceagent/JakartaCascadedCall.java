package com.example.voiceagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.voicetrace.testapp.realtime.Answers;
import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One call through a cascaded voice pipeline written against the Jakarta WebSocket client API
 * (in a package of its own, as an application's code is: the agent leaves its own
 * {@code dev.voicetrace} packages alone)
 * (whichever implementation {@code ContainerProvider} finds): the caller's audio streams to
 * Deepgram's live transcription through a programmatic {@link Endpoint} with a message handler;
 * each utterance is answered on a worker by an OpenAI chat model (openai-java, streaming) and
 * spoken through one ElevenLabs multi-stream-input socket per call, an annotated
 * {@code @ClientEndpoint}, one context per reply.
 */
public final class JakartaCascadedCall {

    /** Demo keys, sent only to the loopback stand-ins; they must never be exported. */
    static final String DEEPGRAM_KEY = "dg-test-voicetrace-jakarta-6c1e3a5b7d9f2048";
    static final String ELEVENLABS_KEY = "xi-test-voicetrace-multi-4f6a8c0e2b4d1357";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 100 ms of 16 kHz PCM16. */
    private static final int FRAME_BYTES = 3200;

    private final WebSocketContainer container;
    private final OpenAIClient openai;
    private final ExecutorService workers;
    private final int port;
    private final String name;
    private final int utterances;
    private final int framesPerUtterance;
    private final StringBuilder out = new StringBuilder();

    /**
     * @param utterances how many utterances the caller speaks, each {@code framesPerUtterance}
     *     frames of 100 ms (what the Deepgram stand-in ends an utterance after)
     */
    public JakartaCascadedCall(WebSocketContainer container, OpenAIClient openai, ExecutorService workers, int port,
                               String name, int utterances, int framesPerUtterance) {
        this.utterances = utterances;
        this.framesPerUtterance = framesPerUtterance;
        this.container = container;
        this.openai = openai;
        this.workers = workers;
        this.port = port;
        this.name = name;
    }

    public String run() throws Exception {
        Speech speech = new Speech();
        Session speaker = container.connectToServer(speech, URI.create("ws://127.0.0.1:" + port
                + "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/multi-stream-input?model_id=eleven_flash_v2_5"
                + "&output_format=pcm_16000&inactivity_timeout=60"));
        Transcripts transcripts = new Transcripts(speaker);
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.put("Authorization", List.of("Token " + DEEPGRAM_KEY));
                    }
                }).build();
        Session listener = container.connectToServer(transcripts, config, URI.create("ws://127.0.0.1:" + port
                + "/v1/listen?model=nova-3&encoding=linear16&sample_rate=16000&channels=1&interim_results=true"
                + "&endpointing=300&utterance_end_ms=1000"));
        for (int turn = 1; turn <= utterances; turn++) {
            byte[] pcm = new byte[FRAME_BYTES];
            for (int frame = 0; frame < framesPerUtterance; frame++) {
                for (int i = 0; i < pcm.length; i++) {
                    pcm[i] = (byte) (i * 3 + frame);
                }
                listener.getBasicRemote().sendBinary(ByteBuffer.wrap(pcm));
            }
            Turn done = transcripts.answers.next(30);
            line("turn " + turn + " heard: " + done.heard);
            line("turn " + turn + " reply: " + done.reply);
            line("turn " + turn + " speech bytes: " + done.speechBytes);
        }
        listener.getBasicRemote().sendText("{\"type\":\"CloseStream\"}");
        transcripts.closed.get(30, TimeUnit.SECONDS);
        speaker.getAsyncRemote().sendText("{\"close_socket\":true}").get(10, TimeUnit.SECONDS);
        speech.closed.get(30, TimeUnit.SECONDS);
        line("closed");
        return out.toString();
    }

    private static final class Turn {
        final String heard;
        final String reply;
        final long speechBytes;

        Turn(String heard, String reply, long speechBytes) {
            this.heard = heard;
            this.reply = reply;
            this.speechBytes = speechBytes;
        }
    }

    /** The Deepgram endpoint: finals gathered until the utterance ends, then a worker answers. */
    private final class Transcripts extends Endpoint {
        private final Session speaker;
        private final StringBuilder words = new StringBuilder();
        private int utterances;
        final Answers<Turn> answers = new Answers<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Transcripts(Session speaker) {
            this.speaker = speaker;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(new MessageHandler.Whole<String>() {
                @Override
                public void onMessage(String text) {
                    heard(text);
                }
            });
        }

        private void heard(String text) {
            try {
                JsonNode message = JSON.readTree(text);
                String type = message.path("type").asText();
                if (type.equals("Results") && message.path("is_final").asBoolean()) {
                    String part = message.path("channel").path("alternatives").path(0).path("transcript").asText();
                    if (!part.isEmpty()) {
                        words.append(words.length() == 0 ? "" : " ").append(part);
                    }
                }
                boolean ended = (type.equals("Results") && message.path("speech_final").asBoolean())
                        || type.equals("UtteranceEnd");
                if (ended && words.length() > 0) {
                    String heard = words.toString();
                    words.setLength(0);
                    String context = "reply-" + (++utterances);
                    CompletableFuture<Turn> answer = CompletableFuture.supplyAsync(
                            () -> answer(heard, speaker, context), workers);
                    answers.started(answer);
                }
            } catch (Exception e) {
                answers.failed(e);
            }
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            closed.complete(null);
        }

        @Override
        public void onError(Session session, Throwable error) {
            answers.failed(error);
            closed.completeExceptionally(error);
        }
    }

    /** Asks the model and speaks its reply in its own context as it streams, sentence by sentence. */
    private Turn answer(String heard, Session speaker, String context) {
        try {
            Speech speech = speech(speaker);
            CompletableFuture<Long> spoken = speech.expect(context);
            ObjectNode init = JSON.createObjectNode().put("text", " ").put("context_id", context);
            init.putObject("voice_settings").put("stability", 0.5).put("similarity_boost", 0.8).put("speed", 1.0);
            init.put("xi_api_key", ELEVENLABS_KEY);
            send(speaker, init);

            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                    .model(ChatModel.GPT_4O_MINI)
                    .addSystemMessage("You are a Lisbon travel guide on the phone. Answer in one sentence.")
                    .addUserMessage(heard)
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build();
            StringBuilder reply = new StringBuilder();
            StringBuilder sentence = new StringBuilder();
            try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(params)) {
                for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                        String delta = choice.delta().content().orElse("");
                        reply.append(delta);
                        sentence.append(delta);
                        String text = sentence.toString();
                        if (text.endsWith(".") || text.endsWith("?") || text.endsWith(",")) {
                            send(speaker, JSON.createObjectNode().put("text", text.trim() + " ").put("context_id", context));
                            sentence.setLength(0);
                        }
                    }
                }
            }
            if (sentence.toString().trim().length() > 0) {
                send(speaker, JSON.createObjectNode().put("text", sentence.toString().trim() + " ")
                        .put("context_id", context));
            }
            send(speaker, JSON.createObjectNode().put("context_id", context).put("flush", true));
            send(speaker, JSON.createObjectNode().put("context_id", context).put("close_context", true));
            long bytes = spoken.get(30, TimeUnit.SECONDS);
            return new Turn(heard, reply.toString(), bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(Session speaker, ObjectNode message) throws Exception {
        speaker.getAsyncRemote().sendText(JSON.writeValueAsString(message)).get(10, TimeUnit.SECONDS);
    }

    private static Speech speech(Session speaker) {
        return (Speech) speaker.getUserProperties().get(Speech.class.getName());
    }

    /** Sends the ElevenLabs key as the vendor's header on the opening request. */
    public static final class XiKey extends ClientEndpointConfig.Configurator {
        @Override
        public void beforeRequest(Map<String, List<String>> headers) {
            headers.put("xi-api-key", List.of(ELEVENLABS_KEY));
        }
    }

    /** The application's ElevenLabs endpoint: audio decoded and counted per context until its isFinal. */
    @ClientEndpoint(configurator = XiKey.class)
    public static final class Speech {
        private final Map<String, Long> bytes = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<Long>> finals = new ConcurrentHashMap<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        CompletableFuture<Long> expect(String context) {
            return finals.computeIfAbsent(context, c -> new CompletableFuture<>());
        }

        @jakarta.websocket.OnOpen
        public void onOpen(Session session) {
            session.getUserProperties().put(Speech.class.getName(), this);
        }

        @OnMessage
        public void onMessage(String text) {
            try {
                JsonNode message = JSON.readTree(text);
                String context = message.path("contextId").asText();
                if (message.path("audio").isTextual()) {
                    bytes.merge(context, (long) Base64.getDecoder().decode(message.path("audio").asText()).length,
                            Long::sum);
                } else if (message.path("isFinal").asBoolean()) {
                    expect(context).complete(bytes.getOrDefault(context, 0L));
                }
            } catch (Exception e) {
                closed.completeExceptionally(e);
            }
        }

        @OnClose
        public void onClose(Session session) {
            closed.complete(null);
        }
    }

    private void line(String text) {
        out.append(name).append(' ').append(text).append('\n');
    }
}
