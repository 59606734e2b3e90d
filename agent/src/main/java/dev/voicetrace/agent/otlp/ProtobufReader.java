package dev.voicetrace.agent.otlp;

import java.nio.charset.StandardCharsets;

/** Walks the fields of one protobuf message: enough to read an OTLP export response. */
final class ProtobufReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private int position;
    private final int end;
    private int tag;

    ProtobufReader(byte[] bytes, int offset, int end) {
        this.bytes = bytes;
        this.position = offset;
        this.end = end;
    }

    /** Moves to the next field; false at the end of the message. */
    boolean next() {
        if (position >= end) {
            return false;
        }
        tag = (int) varint();
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }

    String string() {
        int length = length();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** The current length-delimited field as a message of its own. */
    ProtobufReader message() {
        int length = length();
        ProtobufReader nested = new ProtobufReader(bytes, position, position + length);
        position += length;
        return nested;
    }

    void skip() {
        switch (wireType()) {
            case VARINT:
                varint();
                return;
            case FIXED64:
                position += 8;
                return;
            case LENGTH_DELIMITED:
                position += length();
                return;
            case FIXED32:
                position += 4;
                return;
            default:
                throw new IllegalArgumentException("unsupported wire type " + wireType());
        }
    }

    private int length() {
        long length = varint();
        if (length < 0 || position + length > end) {
            throw new IllegalArgumentException("length beyond the message");
        }
        return (int) length;
    }
}
