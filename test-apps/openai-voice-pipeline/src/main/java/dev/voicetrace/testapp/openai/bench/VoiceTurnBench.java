package dev.voicetrace.testapp.openai.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.speech.SpeechModel;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.voicetrace.testapp.openai.ConversationScript;
import dev.voicetrace.testapp.openai.MockOpenAiServer;
import dev.voicetrace.testapp.openai.VoicePipelineApp;
import dev.voicetrace.testapp.openai.WavAudio;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times the demo's voice turns through the real openai-java client against the loopback mock, in
 * one JVM: per turn a transcription (stt), a chat completion, sync on odd turns and streaming on
 * even ones (llm_sync, llm_stream), and speech (tts), each call timed on its own: a streaming call
 * until its stream is consumed and closed, speech until its body is read and closed. Prints one
 * result line: {@code calls=N median_us=X p99_us=Y mean_us=Z} over all timed calls, then
 * {@code <stage>_median_us} and {@code <stage>_p99_us} per stage, {@code first_call_ms=F
 * peak_rss_mb=R} as {@link CallLatencyBench} does, except that F ends with the first turn: it is
 * the first time all three endpoints' classes are loaded (and instrumented, under an agent), and
 * what a voice application waits before it has spoken its first answer.
 *
 * <p>The mock delays streamed chat and speech (time to first token or byte, then per chunk), so
 * unlike {@link CallLatencyBench} this does not keep the CPU busy: mostly the process waits, as a
 * voice application does. Transcriptions wait too, some 40 ms though the mock answers at once:
 * OkHttp leaves Nagle's algorithm on and writes the multipart upload in pieces, so the last piece
 * waits for the mock's delayed ACK (with TCP_NODELAY on the client they take 1 to 2 ms). The
 * demo's client is built the same way, so this keeps it. Sync chat calls are the only ones that do
 * not wait. What an agent adds is the difference between configurations, within that jitter.
 *
 * <p>The demo's {@code VoicePipelineApp.Pipeline} is not public and prints every turn, so this is a small copy
 * of its OpenAI chat path without the tool round and the async styles (sync/streaming alternate,
 * which keeps the two LLM stages equally sampled). Conversations follow the mock's script and
 * restart after its last line (six turns), so the history sent stays bounded as in a phone call.
 *
 * <pre>java -cp openai-voice-pipeline.jar dev.voicetrace.testapp.openai.bench.VoiceTurnBench
 *     [warm-up turns, default 60] [timed turns, default 240]</pre>
 */
public final class VoiceTurnBench {

    /** Stage names, in result-line order. */
    static final String[] STAGES = {"stt", "llm_sync", "llm_stream", "tts"};
    private static final int STT = 0;
    private static final int LLM_SYNC = 1;
    private static final int LLM_STREAM = 2;
    private static final int TTS = 3;

    private final OpenAIClient client;
    private final List<String[]> history = new ArrayList<>();
    /** Per stage, the timed calls' durations in ns; null while warming up. */
    private long[][] nanos;
    private final int[] counts = new int[STAGES.length];
    private long sink;

    private VoiceTurnBench(OpenAIClient client) {
        this.client = client;
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int turns = args.length > 1 ? Integer.parseInt(args[1]) : 240;
        try (MockOpenAiServer mock = new MockOpenAiServer()) {
            // The mock would otherwise keep every request, audio uploads included, in this heap.
            mock.keepRequests(false);
            mock.start();
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(VoicePipelineApp.FAKE_API_KEY)
                    .baseUrl(mock.baseUrl())
                    .maxRetries(0)
                    .build();
            VoiceTurnBench bench = new VoiceTurnBench(client);
            bench.turn(1);
            // As in CallLatencyBench: clock first, java.management after; the JVM start time
            // predates agents' premain, so agent start-up counts.
            long firstTurnEnd = System.currentTimeMillis();
            long firstCallMs = firstTurnEnd - ManagementFactory.getRuntimeMXBean().getStartTime();
            for (int turn = 2; turn <= warmup; turn++) {
                bench.turn(turn);
            }
            bench.nanos = new long[STAGES.length][turns];
            long cpuStart = CallLatencyBench.processCpuNanos();
            java.util.Map<String, Long> threadsAtStart = ThreadCpu.byName();
            java.util.Map<Long, ThreadAllocation.Allocated> allocatedAtStart = ThreadAllocation.snapshot();
            for (int turn = warmup + 1; turn <= warmup + turns; turn++) {
                bench.turn(turn);
            }
            long cpuNanos = CallLatencyBench.processCpuNanos() - cpuStart;
            java.util.Map<String, Long> threadsAtEnd = ThreadCpu.byName();
            java.util.Map<Long, ThreadAllocation.Allocated> allocatedAtEnd = ThreadAllocation.snapshot();
            if (Boolean.getBoolean("bench.threads")) {
                ThreadCpu.printDifference(threadsAtStart, threadsAtEnd, bench.counts.length == 0 ? 1
                        : Arrays.stream(bench.counts).sum());
            }
            client.close();

            StringBuilder line = new StringBuilder();
            long[] all = new long[0];
            for (int s = 0; s < STAGES.length; s++) {
                long[] stage = Arrays.copyOf(bench.nanos[s], bench.counts[s]);
                Arrays.sort(stage);
                line.append(String.format(Locale.ROOT, " %s_median_us=%.1f %s_p99_us=%.1f", STAGES[s],
                        median(stage), STAGES[s], p99(stage)));
                all = concat(all, stage);
            }
            Arrays.sort(all);
            double mean = Arrays.stream(all).average().orElse(0);
            System.out.println(String.format(Locale.ROOT,
                    "calls=%d median_us=%.1f p99_us=%.1f mean_us=%.1f%s first_call_ms=%d peak_rss_mb=%.1f"
                            + " cpu_us_per_call=%.1f agent_threads_cpu_us_per_call=%.1f jit_cpu_us_per_call=%.1f"
                            + " alloc_kb_per_call=%.1f agent_threads_alloc_kb_per_call=%.1f",
                    all.length, median(all), p99(all), mean / 1000.0, line, firstCallMs,
                    CallLatencyBench.peakRssMb(), cpuNanos / 1000.0 / all.length,
                    ThreadCpu.agentMicrosPerCall(threadsAtStart, threadsAtEnd, all.length),
                    ThreadCpu.compilerMicrosPerCall(threadsAtStart, threadsAtEnd, all.length),
                    ThreadAllocation.kilobytesPerCall(allocatedAtStart, allocatedAtEnd, all.length, false),
                    ThreadAllocation.kilobytesPerCall(allocatedAtStart, allocatedAtEnd, all.length, true)));
            if (bench.sink == 42) {
                System.out.println(); // keeps the results in use
            }
        }
        CallLatencyBench.printMainEnd();
    }

    /** One voice turn of the scripted call: what the caller said, the reply, the reply spoken. */
    private void turn(int turn) throws IOException {
        int lineNo = (turn - 1) % ConversationScript.LINES.size() + 1;
        if (lineNo == 1) {
            history.clear(); // a new call
        }
        // Built outside the timed calls: the application's work, not the client's.
        TranscriptionCreateParams sttParams = TranscriptionCreateParams.builder()
                .file(MultipartField.<InputStream>builder()
                        .value(new ByteArrayInputStream(WavAudio.callerAudio(lineNo)))
                        .filename("caller-turn-" + lineNo + ".wav")
                        .contentType("audio/wav")
                        .build())
                .model(AudioModel.GPT_4O_TRANSCRIBE)
                .language("en")
                .responseFormat(AudioResponseFormat.JSON)
                .build();
        long start = System.nanoTime();
        String heard = client.audio().transcriptions().create(sttParams).asTranscription().text();
        record(STT, start);

        ChatCompletionCreateParams.Builder chat = ChatCompletionCreateParams.builder()
                .model(ChatModel.GPT_4O_MINI)
                .temperature(0.7)
                .maxCompletionTokens(200L)
                .addSystemMessage(VoicePipelineApp.SYSTEM_PROMPT);
        for (String[] t : history) {
            chat.addUserMessage(t[0]);
            chat.addAssistantMessage(t[1]);
        }
        chat.addUserMessage(heard);
        String reply;
        if (turn % 2 == 1) {
            ChatCompletionCreateParams params = chat.build();
            start = System.nanoTime();
            reply = client.chat().completions().create(params).choices().get(0).message().content().orElse("");
            record(LLM_SYNC, start);
        } else {
            ChatCompletionCreateParams params = chat
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build();
            StringBuilder text = new StringBuilder();
            start = System.nanoTime();
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                stream.stream().forEach(chunk -> {
                    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                        choice.delta().content().ifPresent(text::append);
                    }
                });
            }
            record(LLM_STREAM, start);
            reply = text.toString();
        }

        SpeechCreateParams ttsParams = SpeechCreateParams.builder()
                .input(reply)
                .model(SpeechModel.GPT_4O_MINI_TTS)
                .voice(VoicePipelineApp.TTS_VOICE)
                .responseFormat(SpeechCreateParams.ResponseFormat.WAV)
                .build();
        byte[] buffer = new byte[8192];
        start = System.nanoTime();
        try (HttpResponse speech = client.audio().speech().create(ttsParams);
             InputStream body = speech.body()) {
            for (int n; (n = body.read(buffer)) >= 0; ) {
                sink += n;
            }
        }
        record(TTS, start);

        history.add(new String[] {heard, reply});
    }

    private void record(int stage, long start) {
        long elapsed = System.nanoTime() - start;
        if (nanos != null) {
            nanos[stage][counts[stage]++] = elapsed;
        }
    }

    private static double median(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1000.0;
    }

    private static double p99(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1000.0;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
