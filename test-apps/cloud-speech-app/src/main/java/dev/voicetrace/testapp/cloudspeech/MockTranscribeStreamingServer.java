package dev.voicetrace.testapp.cloudspeech;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * A stand-in for Amazon Transcribe streaming ({@code StartStreamTranscription},
 * {@code POST /stream-transcription}) on loopback. Like the service it speaks HTTP/2 (here in
 * cleartext, with prior knowledge, which is what the SDK's Netty client does for an
 * {@code http://} endpoint) and AWS event-stream messages both ways: the request's DATA frames
 * carry signed envelope messages ({@code :date}, {@code :chunk-signature}) whose payloads are
 * {@code AudioEvent} messages, the last envelope empty. It answers {@code 200} with the
 * service's headers ({@code x-amzn-request-id}, {@code x-amzn-transcribe-session-id} and echoes
 * of the language, media encoding and sample rate), then {@code TranscriptEvent} messages with
 * the documented JSON payload: an event without results, partial results that grow by a word
 * every {@value #CHUNKS_PER_PARTIAL} audio chunks, and one final result with word items and
 * confidences at the end of the audio. What was said is read from the turn tag at the head of
 * the caller's audio ({@link AudioTone#turnOf}). A sample rate outside 8-48 kHz gets the
 * service's {@code BadRequestException} as an exception message; a request without a SigV4
 * signature gets 403.
 */
public final class MockTranscribeStreamingServer implements AutoCloseable {

    static final int CHUNKS_PER_PARTIAL = 4;

    private final EventLoopGroup group = new NioEventLoopGroup(1, r -> {
        Thread thread = new Thread(r, "mock-transcribe");
        thread.setDaemon(true);
        return thread;
    });
    private final Channel server;
    private final AtomicInteger sessions = new AtomicInteger();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    public MockTranscribeStreamingServer() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel connection) {
                        connection.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel stream) {
                                        stream.pipeline().addLast(new TranscriptionStream());
                                    }
                                }));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Every header and byte of request content the stand-in received, as text. */
    public synchronized String received() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private synchronized void keep(String text) {
        received.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private synchronized void keep(byte[] bytes) {
        received.writeBytes(bytes);
    }

    /** One HTTP/2 stream: one transcription session. */
    private final class TranscriptionStream extends ChannelInboundHandlerAdapter {
        private final List<Message> decoded = new java.util.ArrayList<>();
        private final MessageDecoder decoder = new MessageDecoder(decoded::add);
        private long sampleRate;
        private String language;
        private String encoding;
        private boolean stabilization;
        private int turn = -1;
        private long audioBytes;
        private int chunks;
        private int partialWords;
        private boolean started;
        private boolean ended;
        private boolean refused;
        private String resultId;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object frame) {
            try {
                if (frame instanceof Http2HeadersFrame) {
                    headers(ctx, ((Http2HeadersFrame) frame).headers());
                } else if (frame instanceof Http2DataFrame) {
                    Http2DataFrame data = (Http2DataFrame) frame;
                    ByteBuf content = data.content();
                    byte[] bytes = new byte[content.readableBytes()];
                    content.readBytes(bytes);
                    keep(bytes);
                    if (started && !ended) {
                        decoder.feed(bytes);
                        List<Message> envelopes = new java.util.ArrayList<>(decoded);
                        decoded.clear();
                        for (Message envelope : envelopes) {
                            envelope(ctx, envelope);
                        }
                    }
                    if (data.isEndStream() && started && !ended) {
                        finish(ctx);
                    } else if (data.isEndStream() && refused && !ended) {
                        ended = true;
                        ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
                    }
                }
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }

        private void headers(ChannelHandlerContext ctx, Http2Headers headers) {
            headers.forEach(h -> keep(h.getKey() + ": " + h.getValue() + "\n"));
            CharSequence authorization = headers.get("authorization");
            if (authorization == null || !authorization.toString().startsWith("AWS4-HMAC-SHA256 ")) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("403"), true));
                ended = true;
                return;
            }
            sampleRate = Long.parseLong(String.valueOf(headers.get("x-amzn-transcribe-sample-rate")));
            language = String.valueOf(headers.get("x-amzn-transcribe-language-code"));
            encoding = String.valueOf(headers.get("x-amzn-transcribe-media-encoding"));
            stabilization = "true".equals(String.valueOf(headers.get(
                    "x-amzn-transcribe-enable-partial-results-stabilization")));
            int session = sessions.incrementAndGet();
            CharSequence sessionId = headers.get("x-amzn-transcribe-session-id");
            Http2Headers response = new DefaultHttp2Headers().status("200")
                    .add("content-type", "application/vnd.amazon.eventstream")
                    .add("x-amzn-request-id", String.format(Locale.ROOT, "5c0f2d3e-0000-4000-8000-%012d", session))
                    .add("x-amzn-transcribe-session-id", sessionId != null ? sessionId
                            : String.format(Locale.ROOT, "9a1b2c3d-0000-4000-8000-%012d", session))
                    .add("x-amzn-transcribe-language-code", language)
                    .add("x-amzn-transcribe-media-encoding", encoding)
                    .add("x-amzn-transcribe-sample-rate", Long.toString(sampleRate));
            ctx.write(new DefaultHttp2HeadersFrame(response, false));
            resultId = String.format(Locale.ROOT, "e6b7c1f0-0000-4000-8000-%012d", session);
            if (sampleRate < 8_000 || sampleRate > 48_000) {
                JsonObject error = new JsonObject();
                error.addProperty("Message", "Your request failed because the sample rate " + sampleRate
                        + " Hz is not supported. Specify a sample rate between 8,000 and 48,000 Hz.");
                Map<String, HeaderValue> exception = new LinkedHashMap<>();
                exception.put(":message-type", HeaderValue.fromString("exception"));
                exception.put(":exception-type", HeaderValue.fromString("BadRequestException"));
                exception.put(":content-type", HeaderValue.fromString("application/json"));
                // the stream stays open until the client has sent its end, as HTTP/2 lets it finish
                send(ctx, new Message(exception, error.toString().getBytes(StandardCharsets.UTF_8)), false);
                refused = true;
                return;
            }
            ctx.flush();
            started = true;
        }

        /** A signed envelope: its payload is an audio event, or nothing at the end of the audio. */
        private void envelope(ChannelHandlerContext ctx, Message envelope) {
            if (ended) {
                return;
            }
            if (envelope.getPayload().length == 0) {
                finish(ctx);
                return;
            }
            Message event = Message.decode(ByteBuffer.wrap(envelope.getPayload()));
            HeaderValue type = event.getHeaders().get(":event-type");
            if (type == null || !"AudioEvent".equals(type.getString())) {
                return;
            }
            byte[] audio = event.getPayload();
            if (chunks == 0) {
                turn = AudioTone.turnOf(audio);
            }
            chunks++;
            audioBytes += audio.length;
            if (chunks == 1) {
                // the service acknowledges the stream with an event that has no results yet
                send(ctx, transcriptEvent(new JsonArray()), false);
            } else if (chunks % CHUNKS_PER_PARTIAL == 0) {
                List<String> words = words();
                if (partialWords < words.size()) {
                    partialWords++;
                    send(ctx, transcriptEvent(results(words.subList(0, partialWords), true)), false);
                }
            }
        }

        private void finish(ChannelHandlerContext ctx) {
            ended = true;
            send(ctx, transcriptEvent(results(words(), false)), true);
        }

        private List<String> words() {
            String heard = turn < 0 ? "" : ConversationScript.turn(turn).heard();
            return List.of(heard.split(" "));
        }

        private double seconds() {
            return audioBytes / (2.0 * sampleRate);
        }

        private JsonArray results(List<String> words, boolean partial) {
            double perWord = Math.max(0.1, seconds() / Math.max(1, words().size()));
            JsonArray items = new JsonArray();
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                String bare = word.replaceAll("[?.!,]$", "");
                double start = 0.12 + i * perWord;
                items.add(item(bare, "pronunciation", start, start + perWord * 0.8, 0.91 + (i % 9) / 100.0,
                        partial, i < words.size() - 1));
                if (!bare.equals(word)) {
                    items.add(item(word.substring(bare.length()), "punctuation", start + perWord * 0.8,
                            start + perWord * 0.8, 0, partial, i < words.size() - 1));
                }
            }
            JsonObject alternative = new JsonObject();
            alternative.add("Items", items);
            alternative.addProperty("Transcript", String.join(" ", words));
            JsonArray alternatives = new JsonArray();
            alternatives.add(alternative);
            JsonObject result = new JsonObject();
            result.add("Alternatives", alternatives);
            result.addProperty("ChannelId", "ch_0");
            result.addProperty("EndTime", round(0.12 + words.size() * perWord));
            result.addProperty("IsPartial", partial);
            result.addProperty("ResultId", resultId);
            result.addProperty("StartTime", 0.12);
            JsonArray results = new JsonArray();
            results.add(result);
            return results;
        }

        private JsonObject item(String content, String type, double start, double end, double confidence,
                                boolean partial, boolean stable) {
            JsonObject item = new JsonObject();
            item.addProperty("Content", content);
            item.addProperty("EndTime", round(end));
            item.addProperty("StartTime", round(start));
            item.addProperty("Type", type);
            item.addProperty("VocabularyFilterMatch", false);
            if ("pronunciation".equals(type)) {
                item.addProperty("Confidence", round(confidence));
            }
            if (stabilization) {
                item.addProperty("Stable", !partial || stable);
            }
            return item;
        }

        private Message transcriptEvent(JsonArray results) {
            JsonObject transcript = new JsonObject();
            transcript.add("Results", results);
            JsonObject event = new JsonObject();
            event.add("Transcript", transcript);
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            headers.put(":message-type", HeaderValue.fromString("event"));
            headers.put(":event-type", HeaderValue.fromString("TranscriptEvent"));
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            return new Message(headers, event.toString().getBytes(StandardCharsets.UTF_8));
        }

        private void send(ChannelHandlerContext ctx, Message message, boolean last) {
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(message.toByteBuffer()), last));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
