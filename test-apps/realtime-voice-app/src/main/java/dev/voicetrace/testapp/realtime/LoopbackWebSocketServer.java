package dev.voicetrace.testapp.realtime;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A loopback WebSocket server (RFC 6455: the opening handshake, masked client frames,
 * fragmented messages, ping, close), one thread per connection. Each connection is handed to the
 * {@link Handler} its path selects. It can send a text message as several frames, so that
 * clients deliver it in parts.
 */
public final class LoopbackWebSocketServer implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** One connection's side of a vendor's protocol; its methods run on the connection's thread. */
    public interface Handler {
        default void onOpen(Connection connection) throws IOException {}

        void onText(Connection connection, String text) throws IOException;

        default void onBinary(Connection connection, byte[] data) throws IOException {}

        default void onClose(Connection connection, int code) throws IOException {}
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "stand-in-connection");
        thread.setDaemon(true);
        return thread;
    });
    private final Function<String, Handler> handlers;

    /** @param handlers the handler of a connection by its request path, or null to refuse it (404) */
    public LoopbackWebSocketServer(Function<String, Handler> handlers) throws IOException {
        this.handlers = handlers;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "stand-in-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One client connection. Sends are synchronized: handlers may send from other threads too. */
    public static final class Connection {
        public final String path;
        public final Map<String, String> query;
        public final Map<String, String> headers;
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean closed;
        /** Free for the handler: its per-connection state. */
        public Object state;

        Connection(Socket socket, String path, Map<String, String> query, Map<String, String> headers)
                throws IOException {
            this.socket = socket;
            this.path = path;
            this.query = query;
            this.headers = headers;
            this.out = socket.getOutputStream();
        }

        public void sendText(String text) throws IOException {
            frame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
        }

        /** One text message as {@code parts} frames: a text frame and continuations. */
        public synchronized void sendTextInParts(String text, int parts) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int size = (bytes.length + parts - 1) / parts;
            for (int i = 0, from = 0; from < bytes.length; i++, from += size) {
                int to = Math.min(bytes.length, from + size);
                byte[] part = java.util.Arrays.copyOfRange(bytes, from, to);
                frame(i == 0 ? 0x1 : 0x0, to == bytes.length, part);
            }
        }

        public void sendBinary(byte[] data) throws IOException {
            frame(0x2, true, data);
        }

        public void close(int code) throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            frame(0x8, true, new byte[] {(byte) (code >> 8), (byte) code});
        }

        private synchronized void frame(int opcode, boolean fin, byte[] payload) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65536) {
                frame.write(126);
                frame.write(payload.length >> 8);
                frame.write(payload.length);
            } else {
                frame.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >> shift));
                }
            }
            frame.write(payload);
            out.write(frame.toByteArray());
            out.flush();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String requestLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            header.substring(colon + 1).trim());
                }
            }
            String target = requestLine.split(" ")[1];
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            Map<String, String> query = new LinkedHashMap<>();
            if (q >= 0) {
                for (String pair : target.substring(q + 1).split("&")) {
                    int eq = pair.indexOf('=');
                    query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : java.net.URLDecoder.decode(
                            pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            Handler handler = handlers.apply(path);
            OutputStream out = socket.getOutputStream();
            if (handler == null || !headers.containsKey("sec-websocket-key")) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(headers.get("sec-websocket-key")) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Connection connection = new Connection(socket, path, query, headers);
            handler.onOpen(connection);
            read(new DataInputStream(in), connection, handler);
        } catch (SocketException e) {
            // the client went away
        } catch (IOException | RuntimeException e) {
            System.err.println("stand-in: connection failed: " + e);
        }
    }

    private static void read(DataInputStream in, Connection connection, Handler handler) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int messageType = 0;
        while (true) {
            int first = in.read();
            if (first < 0) {
                return;
            }
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            int second = in.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((second & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            switch (opcode) {
                case 0x8: {
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    handler.onClose(connection, code);
                    connection.close(code);
                    return;
                }
                case 0x9:
                    connection.frame(0xA, true, payload);
                    continue;
                case 0xA:
                    continue;
                case 0x1:
                case 0x2:
                    messageType = opcode;
                    message.reset();
                    break;
                default:
                    break;
            }
            message.write(payload);
            if (fin) {
                if (messageType == 0x1) {
                    handler.onText(connection, message.toString(StandardCharsets.UTF_8));
                } else {
                    handler.onBinary(connection, message.toByteArray());
                }
                message.reset();
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
