package dev.voicetrace.testapp.cloudspeech;

import com.google.cloud.speech.v1.LongRunningRecognizeMetadata;
import com.google.cloud.speech.v1.LongRunningRecognizeRequest;
import com.google.cloud.speech.v1.LongRunningRecognizeResponse;
import com.google.cloud.speech.v1.RecognizeRequest;
import com.google.cloud.speech.v1.RecognizeResponse;
import com.google.cloud.speech.v1.SpeechRecognitionAlternative;
import com.google.cloud.speech.v1.SpeechRecognitionResult;
import com.google.cloud.speech.v1.StreamingRecognitionResult;
import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import com.google.cloud.speech.v2.RecognitionResponseMetadata;
import com.google.cloud.texttospeech.v1.AudioEncoding;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeRequest;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeResponse;
import com.google.cloud.texttospeech.v1.SynthesizeSpeechRequest;
import com.google.cloud.texttospeech.v1.SynthesizeSpeechResponse;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * An in-process gRPC stand-in for Google Cloud Speech-to-Text v1 and v2 ({@code Recognize},
 * {@code StreamingRecognize}) and Text-to-Speech v1 ({@code SynthesizeSpeech},
 * {@code StreamingSynthesize}), answering with the messages the real services send. What the
 * caller said is looked up from the turn tag at the start of the audio ({@link AudioTone}).
 *
 * <p>Streaming recognition sends an interim result (not final, with a stability) after every
 * {@value #CHUNKS_PER_INTERIM} audio chunks, growing word by word, then on the client's half-close
 * the final result with its confidence, result end time and the billed time (whole seconds,
 * rounded up). Synthesis answers LINEAR16 as a WAV file (44-byte header) at the requested rate
 * (default 24 kHz), {@value #MILLIS_PER_CHARACTER} ms of audio per character, MP3 as opaque
 * bytes; streaming synthesis answers each text chunk with raw PCM at 24 kHz.
 */
public final class MockGoogleSpeechServer implements AutoCloseable {

    static final int CHUNKS_PER_INTERIM = 2;
    static final int MILLIS_PER_CHARACTER = 60;

    private final String name = "google-speech-stand-in-" + ProcessHandle.current().pid();
    private final Server server;

    public MockGoogleSpeechServer() throws IOException {
        server = InProcessServerBuilder.forName(name)
                .addService(speechV1())
                .addService(speechV2())
                .addService(textToSpeech())
                .build()
                .start();
    }

    /** A channel to the stand-in, as a client library would get one from its channel provider. */
    public ManagedChannel channel() {
        return InProcessChannelBuilder.forName(name).build();
    }

    // ---- Speech-to-Text v1 ----

    private ServerServiceDefinition speechV1() {
        return ServerServiceDefinition.builder("google.cloud.speech.v1.Speech")
                .addMethod(unary("google.cloud.speech.v1.Speech/Recognize", RecognizeRequest.getDefaultInstance(),
                        RecognizeResponse.getDefaultInstance()),
                        ServerCalls.asyncUnaryCall(this::recognizeV1))
                .addMethod(unary("google.cloud.speech.v1.Speech/LongRunningRecognize",
                        LongRunningRecognizeRequest.getDefaultInstance(), Operation.getDefaultInstance()),
                        ServerCalls.asyncUnaryCall(this::longRunningV1))
                .addMethod(bidi("google.cloud.speech.v1.Speech/StreamingRecognize",
                        StreamingRecognizeRequest.getDefaultInstance(), StreamingRecognizeResponse.getDefaultInstance()),
                        ServerCalls.asyncBidiStreamingCall(this::streamV1))
                .build();
    }

    private void recognizeV1(RecognizeRequest request, StreamObserver<RecognizeResponse> responses) {
        byte[] audio = request.getAudio().getContent().toByteArray();
        int turn = AudioTone.turnOf(audio);
        if (turn < 0) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("Invalid recognition 'config': bad encoding..")
                    .asRuntimeException());
            return;
        }
        double seconds = seconds(audio.length, request.getConfig().getSampleRateHertz());
        String transcript = ConversationScript.turn(turn).heard();
        responses.onNext(RecognizeResponse.newBuilder()
                .addResults(SpeechRecognitionResult.newBuilder()
                        .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(transcript)
                                .setConfidence(0.9412f))
                        .setResultEndTime(duration(seconds))
                        .setLanguageCode(request.getConfig().getLanguageCode().toLowerCase(Locale.ROOT)))
                .setTotalBilledTime(Duration.newBuilder().setSeconds((long) Math.ceil(seconds)))
                .setRequestId(7_301_000_000L + turn)
                .build());
        responses.onCompleted();
    }

    /**
     * A long-running recognition of short audio: the operation comes back done, with the
     * response and the metadata packed as the service packs them.
     */
    private void longRunningV1(LongRunningRecognizeRequest request, StreamObserver<Operation> responses) {
        byte[] audio = request.getAudio().getContent().toByteArray();
        int turn = AudioTone.turnOf(audio);
        double seconds = seconds(audio.length, request.getConfig().getSampleRateHertz());
        LongRunningRecognizeResponse response = LongRunningRecognizeResponse.newBuilder()
                .addResults(SpeechRecognitionResult.newBuilder()
                        .addAlternatives(SpeechRecognitionAlternative.newBuilder()
                                .setTranscript(ConversationScript.turn(turn).heard()).setConfidence(0.9355f))
                        .setResultEndTime(duration(seconds))
                        .setLanguageCode(request.getConfig().getLanguageCode().toLowerCase(Locale.ROOT)))
                .setTotalBilledTime(Duration.newBuilder().setSeconds((long) Math.ceil(seconds)))
                .build();
        responses.onNext(Operation.newBuilder().setName("8122418519204630" + turn).setDone(true)
                .setMetadata(Any.pack(LongRunningRecognizeMetadata.newBuilder().setProgressPercent(100).build()))
                .setResponse(Any.pack(response)).build());
        responses.onCompleted();
    }

    private StreamObserver<StreamingRecognizeRequest> streamV1(StreamObserver<StreamingRecognizeResponse> responses) {
        return new RecognitionStream<>(responses) {
            int rate;
            String language;

            @Override
            boolean configure(StreamingRecognizeRequest request) {
                if (!request.hasStreamingConfig()) {
                    return false;
                }
                rate = request.getStreamingConfig().getConfig().getSampleRateHertz();
                language = request.getStreamingConfig().getConfig().getLanguageCode().toLowerCase(Locale.ROOT);
                interim = request.getStreamingConfig().getInterimResults();
                return true;
            }

            @Override
            ByteString audio(StreamingRecognizeRequest request) {
                return request.getAudioContent();
            }

            @Override
            StreamingRecognizeResponse interimResponse(String words) {
                return StreamingRecognizeResponse.newBuilder().addResults(StreamingRecognitionResult.newBuilder()
                        .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(words))
                        .setStability(0.8f).setIsFinal(false).setLanguageCode(language)
                        .setResultEndTime(duration(seconds(audioBytes(), rate)))).build();
            }

            @Override
            StreamingRecognizeResponse finalResponse(String transcript) {
                double seconds = seconds(audioBytes(), rate);
                return StreamingRecognizeResponse.newBuilder().addResults(StreamingRecognitionResult.newBuilder()
                        .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(transcript)
                                .setConfidence(0.9617f))
                        .setIsFinal(true).setLanguageCode(language).setResultEndTime(duration(seconds)))
                        .setTotalBilledTime(Duration.newBuilder().setSeconds((long) Math.ceil(seconds)))
                        .build();
            }
        };
    }

    // ---- Speech-to-Text v2 ----

    private ServerServiceDefinition speechV2() {
        return ServerServiceDefinition.builder("google.cloud.speech.v2.Speech")
                .addMethod(unary("google.cloud.speech.v2.Speech/Recognize",
                        com.google.cloud.speech.v2.RecognizeRequest.getDefaultInstance(),
                        com.google.cloud.speech.v2.RecognizeResponse.getDefaultInstance()),
                        ServerCalls.asyncUnaryCall(this::recognizeV2))
                .addMethod(bidi("google.cloud.speech.v2.Speech/StreamingRecognize",
                        com.google.cloud.speech.v2.StreamingRecognizeRequest.getDefaultInstance(),
                        com.google.cloud.speech.v2.StreamingRecognizeResponse.getDefaultInstance()),
                        ServerCalls.asyncBidiStreamingCall(this::streamV2))
                .build();
    }

    private void recognizeV2(com.google.cloud.speech.v2.RecognizeRequest request,
                             StreamObserver<com.google.cloud.speech.v2.RecognizeResponse> responses) {
        byte[] audio = request.getContent().toByteArray();
        int turn = AudioTone.turnOf(audio);
        double seconds = seconds(audio.length, request.getConfig().getExplicitDecodingConfig().getSampleRateHertz());
        String transcript = ConversationScript.turn(turn).heard();
        responses.onNext(com.google.cloud.speech.v2.RecognizeResponse.newBuilder()
                .addResults(com.google.cloud.speech.v2.SpeechRecognitionResult.newBuilder()
                        .addAlternatives(com.google.cloud.speech.v2.SpeechRecognitionAlternative.newBuilder()
                                .setTranscript(transcript).setConfidence(0.9288f))
                        .setResultEndOffset(duration(seconds))
                        .setLanguageCode(request.getConfig().getLanguageCodes(0).toLowerCase(Locale.ROOT)))
                .setMetadata(RecognitionResponseMetadata.newBuilder()
                        .setRequestId("6a1f0c2e-0000-4000-8000-00000000000" + turn)
                        .setTotalBilledDuration(Duration.newBuilder().setSeconds((long) Math.ceil(seconds))))
                .build());
        responses.onCompleted();
    }

    private StreamObserver<com.google.cloud.speech.v2.StreamingRecognizeRequest> streamV2(
            StreamObserver<com.google.cloud.speech.v2.StreamingRecognizeResponse> responses) {
        return new RecognitionStream<>(responses) {
            int rate;
            String language;

            @Override
            boolean configure(com.google.cloud.speech.v2.StreamingRecognizeRequest request) {
                if (!request.hasStreamingConfig()) {
                    return false;
                }
                var config = request.getStreamingConfig().getConfig();
                rate = config.getExplicitDecodingConfig().getSampleRateHertz();
                language = config.getLanguageCodes(0).toLowerCase(Locale.ROOT);
                interim = request.getStreamingConfig().getStreamingFeatures().getInterimResults();
                return true;
            }

            @Override
            ByteString audio(com.google.cloud.speech.v2.StreamingRecognizeRequest request) {
                return request.getAudio();
            }

            @Override
            com.google.cloud.speech.v2.StreamingRecognizeResponse interimResponse(String words) {
                return com.google.cloud.speech.v2.StreamingRecognizeResponse.newBuilder()
                        .addResults(com.google.cloud.speech.v2.StreamingRecognitionResult.newBuilder()
                                .addAlternatives(com.google.cloud.speech.v2.SpeechRecognitionAlternative.newBuilder()
                                        .setTranscript(words))
                                .setStability(0.75f).setIsFinal(false).setLanguageCode(language)
                                .setResultEndOffset(duration(seconds(audioBytes(), rate))))
                        .build();
            }

            @Override
            com.google.cloud.speech.v2.StreamingRecognizeResponse finalResponse(String transcript) {
                double seconds = seconds(audioBytes(), rate);
                return com.google.cloud.speech.v2.StreamingRecognizeResponse.newBuilder()
                        .addResults(com.google.cloud.speech.v2.StreamingRecognitionResult.newBuilder()
                                .addAlternatives(com.google.cloud.speech.v2.SpeechRecognitionAlternative.newBuilder()
                                        .setTranscript(transcript).setConfidence(0.9533f))
                                .setIsFinal(true).setLanguageCode(language).setResultEndOffset(duration(seconds)))
                        .setMetadata(RecognitionResponseMetadata.newBuilder()
                                .setTotalBilledDuration(Duration.newBuilder().setSeconds((long) Math.ceil(seconds))))
                        .build();
            }
        };
    }

    /** The shared shape of a recognition stream: config first, then audio, results on the way. */
    private abstract static class RecognitionStream<Q, R> implements StreamObserver<Q> {
        private final StreamObserver<R> responses;
        private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        private boolean configured;
        private int chunks;
        boolean interim;

        RecognitionStream(StreamObserver<R> responses) {
            this.responses = responses;
        }

        abstract boolean configure(Q request);

        abstract ByteString audio(Q request);

        abstract R interimResponse(String words);

        abstract R finalResponse(String transcript);

        long audioBytes() {
            return audio.size();
        }

        @Override
        public synchronized void onNext(Q request) {
            if (!configured) {
                configured = configure(request);
                if (!configured) {
                    responses.onError(Status.INVALID_ARGUMENT
                            .withDescription("The first request must carry the streaming config.")
                            .asRuntimeException());
                }
                return;
            }
            audio.writeBytes(audio(request).toByteArray());
            chunks++;
            if (interim && chunks % CHUNKS_PER_INTERIM == 0) {
                String[] words = transcript().split(" ");
                int count = Math.min(words.length - 1, chunks / CHUNKS_PER_INTERIM);
                if (count > 0) {
                    responses.onNext(interimResponse(String.join(" ", List.of(words).subList(0, count))));
                }
            }
        }

        private String transcript() {
            return ConversationScript.turn(AudioTone.turnOf(audio.toByteArray())).heard();
        }

        @Override
        public void onError(Throwable t) {
            // the client cancelled or failed: nothing to answer
        }

        @Override
        public synchronized void onCompleted() {
            if (configured) {
                responses.onNext(finalResponse(transcript()));
                responses.onCompleted();
            }
        }
    }

    // ---- Text-to-Speech v1 ----

    private ServerServiceDefinition textToSpeech() {
        return ServerServiceDefinition.builder("google.cloud.texttospeech.v1.TextToSpeech")
                .addMethod(unary("google.cloud.texttospeech.v1.TextToSpeech/SynthesizeSpeech",
                        SynthesizeSpeechRequest.getDefaultInstance(), SynthesizeSpeechResponse.getDefaultInstance()),
                        ServerCalls.asyncUnaryCall(this::synthesize))
                .addMethod(bidi("google.cloud.texttospeech.v1.TextToSpeech/StreamingSynthesize",
                        StreamingSynthesizeRequest.getDefaultInstance(),
                        StreamingSynthesizeResponse.getDefaultInstance()),
                        ServerCalls.asyncBidiStreamingCall(this::streamSynthesis))
                .build();
    }

    private void synthesize(SynthesizeSpeechRequest request, StreamObserver<SynthesizeSpeechResponse> responses) {
        String text = request.getInput().hasSsml() ? request.getInput().getSsml().replaceAll("<[^>]*>", "")
                : request.getInput().getText();
        int characters = text.codePointCount(0, text.length());
        byte[] audio;
        if (request.getAudioConfig().getAudioEncoding() == AudioEncoding.LINEAR16) {
            int rate = request.getAudioConfig().getSampleRateHertz() > 0
                    ? request.getAudioConfig().getSampleRateHertz() : 24_000;
            audio = wav(AudioTone.pcm(rate, characters * MILLIS_PER_CHARACTER), rate);
        } else {
            audio = AudioTone.compressed(characters * MockPollyServer.COMPRESSED_BYTES_PER_CHARACTER);
        }
        MockPollyServer.sleep(30);
        responses.onNext(SynthesizeSpeechResponse.newBuilder().setAudioContent(ByteString.copyFrom(audio)).build());
        responses.onCompleted();
    }

    private StreamObserver<StreamingSynthesizeRequest> streamSynthesis(
            StreamObserver<StreamingSynthesizeResponse> responses) {
        return new StreamObserver<>() {
            private boolean configured;

            @Override
            public synchronized void onNext(StreamingSynthesizeRequest request) {
                if (!configured) {
                    configured = request.hasStreamingConfig();
                    return;
                }
                String text = request.getInput().getText();
                byte[] pcm = AudioTone.pcm(24_000, text.codePointCount(0, text.length()) * MILLIS_PER_CHARACTER);
                MockPollyServer.sleep(15);
                for (int offset = 0; offset < pcm.length; offset += 16_000) {
                    responses.onNext(StreamingSynthesizeResponse.newBuilder().setAudioContent(
                            ByteString.copyFrom(pcm, offset, Math.min(16_000, pcm.length - offset))).build());
                }
            }

            @Override
            public void onError(Throwable t) {
                // cancelled by the client
            }

            @Override
            public synchronized void onCompleted() {
                responses.onCompleted();
            }
        };
    }

    // ---- helpers ----

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> unary(String name, Q request,
                                                                                     R response) {
        return descriptor(MethodDescriptor.MethodType.UNARY, name, request, response);
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> bidi(String name, Q request,
                                                                                    R response) {
        return descriptor(MethodDescriptor.MethodType.BIDI_STREAMING, name, request, response);
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> descriptor(
            MethodDescriptor.MethodType type, String name, Q request, R response) {
        return MethodDescriptor.<Q, R>newBuilder().setType(type).setFullMethodName(name)
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response)).build();
    }

    static double seconds(long pcmBytes, int rate) {
        return rate <= 0 ? 0 : pcmBytes / (2.0 * rate);
    }

    static Duration duration(double seconds) {
        long whole = (long) seconds;
        return Duration.newBuilder().setSeconds(whole).setNanos((int) Math.round((seconds - whole) * 1e9) / 1_000_000
                * 1_000_000).build();
    }

    /** A WAV file (RIFF header) around 16-bit mono PCM, as Google returns LINEAR16. */
    static byte[] wav(byte[] pcm, int rate) {
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes()).put("fmt ".getBytes())
                .putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16).put("data".getBytes()).putInt(pcm.length);
        byte[] wav = new byte[44 + pcm.length];
        System.arraycopy(header.array(), 0, wav, 0, 44);
        System.arraycopy(pcm, 0, wav, 44, pcm.length);
        return wav;
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
