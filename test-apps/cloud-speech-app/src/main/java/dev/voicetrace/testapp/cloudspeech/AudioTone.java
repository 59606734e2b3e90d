package dev.voicetrace.testapp.cloudspeech;

import java.nio.charset.StandardCharsets;

/** Deterministic audio for the stand-ins and the caller: tones, and utterances tagged with their turn. */
final class AudioTone {

    /** Caller audio starts with this tag and the turn number, so the stand-ins know what was said. */
    static final String TURN_MARKER = "VTTURN";

    private AudioTone() {}

    /** 16-bit little-endian mono PCM of a 440 Hz tone. */
    static byte[] pcm(int sampleRate, int millis) {
        int samples = (int) ((long) sampleRate * millis / 1000);
        byte[] pcm = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short value = (short) (Math.sin(2 * Math.PI * 440 * i / sampleRate) * 8000);
            pcm[2 * i] = (byte) value;
            pcm[2 * i + 1] = (byte) (value >> 8);
        }
        return pcm;
    }

    /** Bytes standing in for a compressed stream (an MP3 frame header, then a fixed pattern). */
    static byte[] compressed(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        if (length >= 4) {
            bytes[0] = (byte) 0xFF;
            bytes[1] = (byte) 0xFB;
            bytes[2] = (byte) 0x90;
            bytes[3] = 0x64;
        }
        return bytes;
    }

    /** LINEAR16 caller audio at 16 kHz of the given length, tagged with its turn. */
    static byte[] utterance(int turn, int millis) {
        byte[] pcm = pcm(16_000, millis);
        byte[] tag = (TURN_MARKER + turn + ";").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, pcm, 0, tag.length);
        return pcm;
    }

    /** The turn an utterance is tagged with, or -1. */
    static int turnOf(byte[] audio) {
        String head = new String(audio, 0, Math.min(audio.length, 16), StandardCharsets.US_ASCII);
        if (!head.startsWith(TURN_MARKER) || head.indexOf(';') < 0) {
            return -1;
        }
        try {
            return Integer.parseInt(head.substring(TURN_MARKER.length(), head.indexOf(';')));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
