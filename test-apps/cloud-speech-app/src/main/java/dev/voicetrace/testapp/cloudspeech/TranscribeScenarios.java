package dev.voicetrace.testapp.cloudspeech;

import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.transcribestreaming.TranscribeStreamingAsyncClient;
import software.amazon.awssdk.services.transcribestreaming.model.AudioEvent;
import software.amazon.awssdk.services.transcribestreaming.model.AudioStream;
import software.amazon.awssdk.services.transcribestreaming.model.LanguageCode;
import software.amazon.awssdk.services.transcribestreaming.model.MediaEncoding;
import software.amazon.awssdk.services.transcribestreaming.model.PartialResultsStability;
import software.amazon.awssdk.services.transcribestreaming.model.Result;
import software.amazon.awssdk.services.transcribestreaming.model.StartStreamTranscriptionRequest;
import software.amazon.awssdk.services.transcribestreaming.model.StartStreamTranscriptionResponseHandler;
import software.amazon.awssdk.services.transcribestreaming.model.TranscriptEvent;

/**
 * Amazon Transcribe streaming through the AWS SDK for Java v2 async client (HTTP/2 on its Netty
 * client), against {@link MockTranscribeStreamingServer}: the caller's audio is published in
 * 100 ms chunks as the SDK asks for them, and the transcript events come back as they arrive.
 */
final class TranscribeScenarios implements AutoCloseable {

    /** 100 ms of 16-bit mono audio at 16 kHz. */
    static final int CHUNK_BYTES = 3200;

    private final TranscribeStreamingAsyncClient client;
    private final PrintStream out;

    TranscribeScenarios(String endpoint, PrintStream out) {
        this.out = out;
        client = TranscribeStreamingAsyncClient.builder().endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        PollyScenarios.ACCESS_KEY_ID, PollyScenarios.SECRET_ACCESS_KEY)))
                .build();
    }

    /** One caller utterance heard: the final results' transcript and the count of partial ones. */
    void hear(int turn, int millis) {
        StartStreamTranscriptionRequest request = StartStreamTranscriptionRequest.builder()
                .languageCode(LanguageCode.EN_US).mediaEncoding(MediaEncoding.PCM).mediaSampleRateHertz(16_000)
                .vocabularyName("restaurant-terms").enablePartialResultsStabilization(true)
                .partialResultsStability(PartialResultsStability.HIGH).build();
        StringBuilder transcript = new StringBuilder();
        AtomicInteger partial = new AtomicInteger();
        StartStreamTranscriptionResponseHandler handler = StartStreamTranscriptionResponseHandler.builder()
                .subscriber(StartStreamTranscriptionResponseHandler.Visitor.builder()
                        .onTranscriptEvent(event -> collect(event, transcript, partial)).build())
                .build();
        client.startStreamTranscription(request, new AudioPublisher(AudioTone.utterance(turn, millis)), handler)
                .join();
        out.println("turn " + turn + " heard: " + transcript + " (transcribe stream, " + partial.get()
                + " partial results)");
    }

    /** A sample rate the service does not take: its BadRequestException reaches the application. */
    void hearUnsupportedRate(String label) {
        StartStreamTranscriptionRequest request = StartStreamTranscriptionRequest.builder()
                .languageCode(LanguageCode.EN_US).mediaEncoding(MediaEncoding.PCM).mediaSampleRateHertz(96_000)
                .build();
        StartStreamTranscriptionResponseHandler handler = StartStreamTranscriptionResponseHandler.builder()
                .subscriber(event -> { })
                .build();
        try {
            client.startStreamTranscription(request, new AudioPublisher(AudioTone.pcm(96_000, 500)), handler).join();
            out.println(label + ": transcribe unexpectedly answered");
        } catch (CompletionException e) {
            out.println(label + ": transcribe refused, " + e.getCause().getClass().getSimpleName());
        }
    }

    private static void collect(TranscriptEvent event, StringBuilder transcript, AtomicInteger partial) {
        for (Result result : event.transcript().results()) {
            if (Boolean.TRUE.equals(result.isPartial())) {
                partial.incrementAndGet();
            } else if (!result.alternatives().isEmpty()) {
                if (transcript.length() > 0) {
                    transcript.append(' ');
                }
                transcript.append(result.alternatives().get(0).transcript());
            }
        }
    }

    /** Publishes the audio as AudioEvents of {@value #CHUNK_BYTES} bytes, as many as requested. */
    static final class AudioPublisher implements Publisher<AudioStream> {
        private final byte[] audio;

        AudioPublisher(byte[] audio) {
            this.audio = audio;
        }

        @Override
        public void subscribe(Subscriber<? super AudioStream> subscriber) {
            subscriber.onSubscribe(new Subscription() {
                private int offset;
                private long demand;
                private boolean emitting;
                private boolean done;

                @Override
                public void request(long n) {
                    synchronized (this) {
                        demand += n;
                        if (emitting) {
                            return;
                        }
                        emitting = true;
                    }
                    while (true) {
                        AudioEvent next;
                        synchronized (this) {
                            if (done || demand == 0 || offset >= audio.length) {
                                emitting = false;
                                if (!done && offset >= audio.length) {
                                    done = true;
                                } else {
                                    return;
                                }
                                next = null;
                            } else {
                                int length = Math.min(CHUNK_BYTES, audio.length - offset);
                                next = AudioEvent.builder().audioChunk(SdkBytes.fromByteBuffer(
                                        ByteBuffer.wrap(audio, offset, length))).build();
                                offset += length;
                                demand--;
                            }
                        }
                        if (next == null) {
                            subscriber.onComplete();
                            return;
                        }
                        subscriber.onNext(next);
                    }
                }

                @Override
                public synchronized void cancel() {
                    done = true;
                }
            });
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
