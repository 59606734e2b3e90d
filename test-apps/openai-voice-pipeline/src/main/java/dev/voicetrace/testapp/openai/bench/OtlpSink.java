package dev.voicetrace.testapp.openai.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback OTLP/HTTP endpoint for the benchmark: reads each export request whole and answers
 * {@code 200} with an empty body (an empty ExportTraceServiceResponse), so that an exporting
 * OpenTelemetry agent pays for encoding and sending its spans, as it would in use.
 */
final class OtlpSink implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "otlp-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong requests = new AtomicLong();

    OtlpSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(java.io.OutputStream.nullOutputStream());
            }
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    /** The sink's root, e.g. as a Langfuse host: every path is accepted and answered 200. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String tracesEndpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
