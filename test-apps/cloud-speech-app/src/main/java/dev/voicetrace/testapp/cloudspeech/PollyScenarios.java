package dev.voicetrace.testapp.cloudspeech;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.polly.PollyAsyncClient;
import software.amazon.awssdk.services.polly.PollyClient;
import software.amazon.awssdk.services.polly.model.Engine;
import software.amazon.awssdk.services.polly.model.OutputFormat;
import software.amazon.awssdk.services.polly.model.PollyException;
import software.amazon.awssdk.services.polly.model.SynthesizeSpeechRequest;
import software.amazon.awssdk.services.polly.model.SynthesizeSpeechResponse;
import software.amazon.awssdk.services.polly.model.TextType;
import software.amazon.awssdk.services.polly.model.VoiceId;

/** Amazon Polly through the AWS SDK for Java v2, sync and async, against {@link MockPollyServer}. */
final class PollyScenarios implements AutoCloseable {

    /** Fake static credentials: they sign requests to the stand-in and must never be exported. */
    static final String ACCESS_KEY_ID = "AKIAVOICETRACEDEMO01";
    static final String SECRET_ACCESS_KEY = "voicetrace/demo/secret/key/0000000000000000";

    private final PollyClient sync;
    private final PollyAsyncClient async;
    private final PrintStream out;

    PollyScenarios(String endpoint, PrintStream out) {
        this.out = out;
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        sync = PollyClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build();
        // Polly's endpoints speak HTTP/1.1 to SynthesizeSpeech; the stand-in speaks nothing else.
        async = PollyAsyncClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .build();
    }

    /** The plain overload: an input stream the application reads to its end. */
    void speakStreamed(String label, String text) throws Exception {
        SynthesizeSpeechRequest request = SynthesizeSpeechRequest.builder().text(text).voiceId(VoiceId.JOANNA)
                .engine(Engine.NEURAL).outputFormat(OutputFormat.PCM).sampleRate("16000").build();
        long bytes = 0;
        try (ResponseInputStream<SynthesizeSpeechResponse> audio = sync.synthesizeSpeech(request)) {
            byte[] buffer = new byte[3000];
            for (int n; (n = audio.read(buffer)) >= 0; ) {
                bytes += n;
            }
            out.println(label + ": polly " + bytes + " bytes " + audio.response().contentType()
                    + ", " + audio.response().requestCharacters() + " characters");
        }
    }

    /** The Consumer&lt;Builder&gt; overload as bytes, with SSML. */
    void speakSsmlAsBytes(String label, String ssml) {
        ResponseBytes<SynthesizeSpeechResponse> audio = sync.synthesizeSpeechAsBytes(b -> b.text(ssml)
                .textType(TextType.SSML).voiceId(VoiceId.MATTHEW).outputFormat(OutputFormat.MP3));
        out.println(label + ": polly " + audio.asByteArray().length + " bytes " + audio.response().contentType()
                + ", " + audio.response().requestCharacters() + " characters");
    }

    /** The caller barges in: the application stops reading after the first chunk and closes. */
    void speakInterrupted(String label, String text) throws Exception {
        SynthesizeSpeechRequest request = SynthesizeSpeechRequest.builder().text(text).voiceId(VoiceId.RUTH)
                .engine(Engine.NEURAL).outputFormat(OutputFormat.PCM).build();
        try (InputStream audio = sync.synthesizeSpeech(request)) {
            byte[] first = audio.readNBytes(2048);
            out.println(label + ": polly playback stopped after " + first.length + " bytes");
        }
    }

    /** The async client into bytes. */
    void speakAsync(String label, String text) {
        SynthesizeSpeechRequest request = SynthesizeSpeechRequest.builder().text(text).voiceId(VoiceId.DANIELLE)
                .engine(Engine.GENERATIVE).outputFormat(OutputFormat.MP3).build();
        ResponseBytes<SynthesizeSpeechResponse> audio = async.synthesizeSpeech(request,
                AsyncResponseTransformer.<SynthesizeSpeechResponse>toBytes()).join();
        out.println(label + ": polly async " + audio.asByteArray().length + " bytes "
                + audio.response().contentType() + ", " + audio.response().requestCharacters() + " characters");
    }

    /** A voice Polly does not know: the service's 400 reaches the application as an exception. */
    void speakWithUnknownVoice(String label) {
        try {
            sync.synthesizeSpeechAsBytes(SynthesizeSpeechRequest.builder().text("Hello").voiceId("Nobody")
                    .outputFormat(OutputFormat.MP3).build());
            out.println(label + ": polly unexpectedly answered");
        } catch (PollyException e) {
            out.println(label + ": polly refused, status " + e.statusCode());
        }
    }

    @Override
    public void close() {
        sync.close();
        async.close();
    }
}
