package dev.voicetrace.agent.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few protobuf encodings OTLP's trace messages use: varints, 64-bit fixed values and
 * length-delimited fields (strings, bytes, nested messages). Enough to write an
 * {@code ExportTraceServiceRequest} without a protobuf runtime in the agent. A nested message is
 * written by a writer of its own and then copied in as bytes, since its length must come first.
 */
final class ProtobufWriter {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private byte[] bytes;
    private int size;

    ProtobufWriter() {
        this(256);
    }

    ProtobufWriter(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** A varint field (int32, int64, uint64, bool, enum); zero is the default and is left out. */
    ProtobufWriter varint(int field, long value) {
        if (value != 0) {
            tag(field, VARINT);
            rawVarint(value);
        }
        return this;
    }

    /** A bool field: written even when false, for an {@code AnyValue} whose oneof must be set. */
    ProtobufWriter bool(int field, boolean value) {
        tag(field, VARINT);
        rawVarint(value ? 1 : 0);
        return this;
    }

    /** An int64 field that is always written, for an {@code AnyValue} holding 0. */
    ProtobufWriter int64Always(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** A fixed64 field (OTLP's nanosecond timestamps); zero is left out. */
    ProtobufWriter fixed64(int field, long value) {
        if (value != 0) {
            tag(field, FIXED64);
            rawFixed64(value);
        }
        return this;
    }

    /** A fixed32 field (a span's flags); zero is left out. */
    ProtobufWriter fixed32(int field, int value) {
        if (value != 0) {
            tag(field, FIXED32);
            ensure(4);
            for (int i = 0; i < 4; i++) {
                bytes[size++] = (byte) (value >>> (8 * i));
            }
        }
        return this;
    }

    /** A double field, always written (an {@code AnyValue}'s double may be 0). */
    ProtobufWriter doubleAlways(int field, double value) {
        tag(field, FIXED64);
        rawFixed64(Double.doubleToRawLongBits(value));
        return this;
    }

    /** A string field; null is left out. */
    ProtobufWriter string(int field, String value) {
        if (value != null) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** A string field written even when empty (an {@code AnyValue}'s string may be ""). */
    ProtobufWriter stringAlways(int field, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        tag(field, LENGTH_DELIMITED);
        rawVarint(utf8.length);
        raw(utf8, utf8.length);
        return this;
    }

    /** A bytes field; null or empty is left out. */
    ProtobufWriter bytes(int field, byte[] value) {
        if (value != null && value.length > 0) {
            tag(field, LENGTH_DELIMITED);
            rawVarint(value.length);
            raw(value, value.length);
        }
        return this;
    }

    /** A nested message, written even when empty (an empty message still says the field is set). */
    ProtobufWriter message(int field, ProtobufWriter message) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(message.size);
        raw(message.bytes, message.size);
        return this;
    }

    /** Bytes already encoded as fields of this message (e.g. a resource encoded once). */
    ProtobufWriter encodedFields(byte[] fields) {
        raw(fields, fields.length);
        return this;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        ensure(10);
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes[size++] = (byte) rest;
    }

    private void rawFixed64(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    private void raw(byte[] source, int length) {
        ensure(length);
        System.arraycopy(source, 0, bytes, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
