package dev.voicetrace.testapp.openai;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dialogue service's gRPC method, {@code voicetrace.Dialogue/Reply}: unary, the same JSON
 * request as {@code POST /reply} in, the reply text out, both as UTF-8 strings (no generated code).
 */
final class DialogueGrpc {

    static final String SERVICE = "voicetrace.Dialogue";

    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<String, String> REPLY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Reply"))
            .setRequestMarshaller(TEXT)
            .setResponseMarshaller(TEXT)
            .build();

    private DialogueGrpc() {}
}
