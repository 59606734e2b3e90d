package dev.voicetrace.testapp.cloudspeech;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.BidiStream;
import com.google.api.gax.rpc.ClientStream;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.StreamController;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.speech.v1.RecognitionAudio;
import com.google.cloud.speech.v1.RecognitionConfig;
import com.google.cloud.speech.v1.RecognizeResponse;
import com.google.cloud.speech.v1.SpeechClient;
import com.google.cloud.speech.v1.SpeechSettings;
import com.google.cloud.speech.v1.StreamingRecognitionConfig;
import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import com.google.cloud.speech.v2.ExplicitDecodingConfig;
import com.google.cloud.speech.v2.StreamingRecognitionFeatures;
import com.google.cloud.texttospeech.v1.AudioConfig;
import com.google.cloud.texttospeech.v1.AudioEncoding;
import com.google.cloud.texttospeech.v1.StreamingSynthesisInput;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeConfig;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeRequest;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeResponse;
import com.google.cloud.texttospeech.v1.SynthesisInput;
import com.google.cloud.texttospeech.v1.SynthesizeSpeechResponse;
import com.google.cloud.texttospeech.v1.TextToSpeechClient;
import com.google.cloud.texttospeech.v1.TextToSpeechSettings;
import com.google.cloud.texttospeech.v1.VoiceSelectionParams;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Google Cloud Speech-to-Text (v1, v2) and Text-to-Speech (v1) through their generated clients,
 * configured with a channel to the in-process stand-in and no credentials.
 */
final class GoogleScenarios implements AutoCloseable {

    static final String RECOGNIZER = "projects/voicetrace-demo/locations/global/recognizers/_";
    /** Audio is sent in chunks of 100 ms of 16 kHz LINEAR16, as a microphone loop would. */
    static final int CHUNK_BYTES = 3200;

    private final ManagedChannel channel;
    private final SpeechClient speechV1;
    private final com.google.cloud.speech.v2.SpeechClient speechV2;
    private final TextToSpeechClient tts;
    private final PrintStream out;

    GoogleScenarios(MockGoogleSpeechServer server, PrintStream out) throws Exception {
        this.out = out;
        channel = server.channel();
        TransportChannelProvider transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        speechV1 = SpeechClient.create(SpeechSettings.newBuilder().setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
        speechV2 = com.google.cloud.speech.v2.SpeechClient.create(com.google.cloud.speech.v2.SpeechSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build());
        tts = TextToSpeechClient.create(TextToSpeechSettings.newBuilder().setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
    }

    private static RecognitionConfig v1Config(String model) {
        return RecognitionConfig.newBuilder().setEncoding(RecognitionConfig.AudioEncoding.LINEAR16)
                .setSampleRateHertz(16_000).setLanguageCode("en-US").setModel(model)
                .setEnableAutomaticPunctuation(true).build();
    }

    private static com.google.cloud.speech.v2.RecognitionConfig v2Config(String model) {
        return com.google.cloud.speech.v2.RecognitionConfig.newBuilder()
                .setExplicitDecodingConfig(ExplicitDecodingConfig.newBuilder()
                        .setEncoding(ExplicitDecodingConfig.AudioEncoding.LINEAR16).setSampleRateHertz(16_000)
                        .setAudioChannelCount(1))
                .addLanguageCodes("en-US").setModel(model).build();
    }

    /** v1 streaming through {@code splitCall}-style {@code call(ResponseObserver)} with interim results. */
    String hearStreamingV1(int turn, int millis) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        List<String> interim = new ArrayList<>();
        ClientStream<StreamingRecognizeRequest> stream = speechV1.streamingRecognizeCallable().splitCall(
                new ResponseObserver<StreamingRecognizeResponse>() {
                    private final StringBuilder finals = new StringBuilder();

                    @Override
                    public void onStart(StreamController controller) {}

                    @Override
                    public void onResponse(StreamingRecognizeResponse response) {
                        for (var result : response.getResultsList()) {
                            String text = result.getAlternatives(0).getTranscript();
                            if (result.getIsFinal()) {
                                finals.append(text);
                            } else {
                                synchronized (interim) {
                                    interim.add(text);
                                }
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onComplete() {
                        done.complete(finals.toString());
                    }
                });
        stream.send(StreamingRecognizeRequest.newBuilder().setStreamingConfig(StreamingRecognitionConfig.newBuilder()
                .setConfig(v1Config("latest_long")).setInterimResults(true)).build());
        byte[] audio = AudioTone.utterance(turn, millis);
        for (int offset = 0; offset < audio.length; offset += CHUNK_BYTES) {
            stream.send(StreamingRecognizeRequest.newBuilder().setAudioContent(
                    ByteString.copyFrom(audio, offset, Math.min(CHUNK_BYTES, audio.length - offset))).build());
            Thread.sleep(5);
        }
        stream.closeSend();
        String heard = done.get(20, TimeUnit.SECONDS);
        synchronized (interim) {
            out.println("turn " + turn + " heard: " + heard + " (google stt v1 stream, " + interim.size()
                    + " interim results)");
        }
        return heard;
    }

    /** v2 streaming through {@code call()}: a {@code BidiStream} the application iterates. */
    String hearStreamingV2(int turn, int millis) {
        BidiStream<com.google.cloud.speech.v2.StreamingRecognizeRequest,
                com.google.cloud.speech.v2.StreamingRecognizeResponse> stream =
                speechV2.streamingRecognizeCallable().call();
        stream.send(com.google.cloud.speech.v2.StreamingRecognizeRequest.newBuilder().setRecognizer(RECOGNIZER)
                .setStreamingConfig(com.google.cloud.speech.v2.StreamingRecognitionConfig.newBuilder()
                        .setConfig(v2Config("long"))
                        .setStreamingFeatures(StreamingRecognitionFeatures.newBuilder().setInterimResults(true)))
                .build());
        byte[] audio = AudioTone.utterance(turn, millis);
        for (int offset = 0; offset < audio.length; offset += CHUNK_BYTES) {
            stream.send(com.google.cloud.speech.v2.StreamingRecognizeRequest.newBuilder().setAudio(
                    ByteString.copyFrom(audio, offset, Math.min(CHUNK_BYTES, audio.length - offset))).build());
        }
        stream.closeSend();
        StringBuilder heard = new StringBuilder();
        int interim = 0;
        for (var response : stream) {
            for (var result : response.getResultsList()) {
                if (result.getIsFinal()) {
                    heard.append(result.getAlternatives(0).getTranscript());
                } else {
                    interim++;
                }
            }
        }
        out.println("turn " + turn + " heard: " + heard + " (google stt v2 stream, " + interim + " interim results)");
        return heard.toString();
    }

    /** v1 unary, through the flattened overload. */
    String hearV1(int turn, int millis) {
        RecognizeResponse response = speechV1.recognize(v1Config("latest_short"), RecognitionAudio.newBuilder()
                .setContent(ByteString.copyFrom(AudioTone.utterance(turn, millis))).build());
        String heard = response.getResults(0).getAlternatives(0).getTranscript();
        out.println("turn " + turn + " heard: " + heard + " (google stt v1, billed "
                + response.getTotalBilledTime().getSeconds() + " s)");
        return heard;
    }

    /** v1 long-running recognition, waited for on its future. */
    String hearLongRunningV1(int turn, int millis) throws Exception {
        var response = speechV1.longRunningRecognizeAsync(com.google.cloud.speech.v1.LongRunningRecognizeRequest
                .newBuilder().setConfig(v1Config("latest_long")).setAudio(RecognitionAudio.newBuilder()
                        .setContent(ByteString.copyFrom(AudioTone.utterance(turn, millis)))).build())
                .get(20, TimeUnit.SECONDS);
        String heard = response.getResults(0).getAlternatives(0).getTranscript();
        out.println("turn " + turn + " heard: " + heard + " (google stt v1 long-running, billed "
                + response.getTotalBilledTime().getSeconds() + " s)");
        return heard;
    }

    /** v2 unary with a request object. */
    String hearV2(int turn, int millis) {
        var response = speechV2.recognize(com.google.cloud.speech.v2.RecognizeRequest.newBuilder()
                .setRecognizer(RECOGNIZER).setConfig(v2Config("short"))
                .setContent(ByteString.copyFrom(AudioTone.utterance(turn, millis))).build());
        String heard = response.getResults(0).getAlternatives(0).getTranscript();
        out.println("turn " + turn + " heard: " + heard + " (google stt v2, billed "
                + response.getMetadata().getTotalBilledDuration().getSeconds() + " s)");
        return heard;
    }

    /** v1 unary with audio that the service rejects. */
    void hearGarbage(String label) {
        try {
            speechV1.recognize(v1Config("latest_short"), RecognitionAudio.newBuilder()
                    .setContent(ByteString.copyFrom(new byte[3200])).build());
            out.println(label + ": google stt unexpectedly answered");
        } catch (com.google.api.gax.rpc.InvalidArgumentException e) {
            out.println(label + ": google stt refused, " + e.getStatusCode().getCode());
        }
    }

    /** TTS unary: LINEAR16 at 24 kHz with a Neural2 voice. */
    void speak(int turn, String text) {
        SynthesizeSpeechResponse response = tts.synthesizeSpeech(SynthesisInput.newBuilder().setText(text).build(),
                VoiceSelectionParams.newBuilder().setLanguageCode("en-US").setName("en-US-Neural2-F").build(),
                AudioConfig.newBuilder().setAudioEncoding(AudioEncoding.LINEAR16).setSampleRateHertz(24_000).build());
        out.println("turn " + turn + " said: " + response.getAudioContent().size() + " bytes (google tts)");
    }

    /** TTS streaming: a Chirp 3 HD voice, the reply sent in two text chunks. */
    void speakStreaming(int turn, String text) {
        BidiStream<StreamingSynthesizeRequest, StreamingSynthesizeResponse> stream =
                tts.streamingSynthesizeCallable().call();
        stream.send(StreamingSynthesizeRequest.newBuilder().setStreamingConfig(StreamingSynthesizeConfig.newBuilder()
                .setVoice(VoiceSelectionParams.newBuilder().setLanguageCode("en-US").setName("en-US-Chirp3-HD-Aoede")))
                .build());
        int cut = text.indexOf(' ', text.length() / 2);
        for (String part : new String[] {text.substring(0, cut), text.substring(cut)}) {
            stream.send(StreamingSynthesizeRequest.newBuilder()
                    .setInput(StreamingSynthesisInput.newBuilder().setText(part)).build());
        }
        stream.closeSend();
        long bytes = 0;
        int chunks = 0;
        for (StreamingSynthesizeResponse response : stream) {
            bytes += response.getAudioContent().size();
            chunks++;
        }
        out.println("turn " + turn + " said: " + bytes + " bytes in " + chunks + " chunks (google tts stream)");
    }

    @Override
    public void close() throws Exception {
        speechV1.close();
        speechV2.close();
        tts.close();
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
