package dev.voicetrace.testapp.cloud;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Encodes messages of the AWS event stream format ({@code application/vnd.amazon.eventstream}):
 * a prelude (total length, headers length, CRC32 of those eight bytes), headers (name length,
 * name, value type 7 = string, value length, value), the payload, and a CRC32 of all before it.
 */
final class EventStreamEncoder {

    private static final byte STRING = 7;

    private EventStreamEncoder() {}

    /** An event message, as Bedrock sends each ConverseStream event. */
    static byte[] event(String eventType, String jsonPayload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", eventType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        return message(headers, jsonPayload.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] message(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
            headerBytes.write(name.length);
            headerBytes.writeBytes(name);
            headerBytes.write(STRING);
            headerBytes.write((value.length >> 8) & 0xff);
            headerBytes.write(value.length & 0xff);
            headerBytes.writeBytes(value);
        }
        byte[] encodedHeaders = headerBytes.toByteArray();
        int total = 12 + encodedHeaders.length + payload.length + 4;
        ByteBuffer buffer = ByteBuffer.allocate(total);
        buffer.putInt(total);
        buffer.putInt(encodedHeaders.length);
        buffer.putInt((int) crc(buffer.array(), 0, 8));
        buffer.put(encodedHeaders);
        buffer.put(payload);
        buffer.putInt((int) crc(buffer.array(), 0, total - 4));
        return buffer.array();
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
