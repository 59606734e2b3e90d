package dev.voicetrace.testapp.openai;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic synthetic audio: 16-bit PCM mono RIFF/WAVE files containing a sine tone, with an
 * optional {@code LIST/INFO/ICMT} comment chunk (used to tag the caller's audio with its turn number
 * so the mock STT endpoint can pick the scripted utterance). Plain JDK only.
 */
public final class WavAudio {

    /** Comment prefix the demo writes into the caller audio; the mock looks for it. */
    public static final String TURN_MARKER = "voicetrace-turn=";

    /** Comment prefix giving the words the audio "contains": the mock STT transcribes it to them. */
    public static final String SAY_MARKER = "voicetrace-say=";

    private WavAudio() {
    }

    /** Caller audio saying {@code words}, {@code millis} long, for applications that script their own callers. */
    public static byte[] saying(String words, int millis) {
        int sampleRate = 16_000;
        return sine(sampleRate, sampleRate * millis / 1000, 200.0, SAY_MARKER + words);
    }

    /** The words of a {@value #SAY_MARKER} comment in arbitrary bytes (e.g. a multipart body), or null. */
    public static String findSayMarker(byte[] data) {
        int at = indexOf(data, ascii(SAY_MARKER), 0);
        if (at < 0) {
            return null;
        }
        int start = at + SAY_MARKER.length();
        int end = start;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, start, end - start, StandardCharsets.US_ASCII);
    }

    /** Caller audio for a turn: 16 kHz, 1.0 to 2.0 seconds depending on the turn, tagged with the turn. */
    public static byte[] callerAudio(int turn) {
        int sampleRate = 16_000;
        int millis = 1000 + 250 * Math.floorMod(turn - 1, 5);
        int samples = sampleRate * millis / 1000;
        double freq = 180.0 + 20.0 * Math.floorMod(turn - 1, 7);
        return sine(sampleRate, samples, freq, TURN_MARKER + turn);
    }

    /**
     * A mono 16-bit sine-tone WAV with exactly {@code samples} samples.
     *
     * @param comment text for a LIST/INFO/ICMT chunk, or null for a plain 44-byte-header file
     */
    public static byte[] sine(int sampleRate, int samples, double frequencyHz, String comment) {
        byte[] pcm = new byte[samples * 2];
        ByteBuffer pb = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        for (int n = 0; n < samples; n++) {
            // fade in/out over 10 ms to keep it click-free; amplitude ~ -12 dBFS
            double env = Math.min(1.0, Math.min(n, samples - 1 - n) / (sampleRate / 100.0));
            double v = Math.sin(2 * Math.PI * frequencyHz * n / sampleRate) * 0.25 * env;
            pb.putShort((short) Math.round(v * Short.MAX_VALUE));
        }

        byte[] list = comment == null ? new byte[0] : listInfoChunk(comment);
        int riffSize = 4 + (8 + 16) + list.length + (8 + pcm.length);
        ByteBuffer b = ByteBuffer.allocate(8 + riffSize).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(riffSize).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16)
                .putShort((short) 1) // PCM
                .putShort((short) 1) // mono
                .putInt(sampleRate)
                .putInt(sampleRate * 2) // byte rate
                .putShort((short) 2) // block align
                .putShort((short) 16); // bits per sample
        b.put(list);
        b.put(ascii("data")).putInt(pcm.length).put(pcm);
        return b.array();
    }

    private static byte[] listInfoChunk(String comment) {
        byte[] text = (comment + "\0").getBytes(StandardCharsets.US_ASCII);
        int padded = text.length + (text.length % 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("LIST")).putInt(4 + 8 + padded).put(ascii("INFO"));
        b.put(ascii("ICMT")).putInt(text.length).put(text);
        if (padded > text.length) {
            b.put((byte) 0);
        }
        out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }

    /**
     * Finds {@value #TURN_MARKER}N in arbitrary bytes (e.g. a multipart body), returns N or -1.
     */
    public static int findTurnMarker(byte[] data) {
        byte[] marker = ascii(TURN_MARKER);
        outer:
        for (int i = 0; i + marker.length <= data.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            int k = i + marker.length;
            int value = 0;
            int digits = 0;
            while (k < data.length && data[k] >= '0' && data[k] <= '9' && digits < 9) {
                value = value * 10 + (data[k] - '0');
                k++;
                digits++;
            }
            return digits == 0 ? -1 : value;
        }
        return -1;
    }

    /** Duration in seconds of a PCM WAV produced by {@link #sine}; 0 if it cannot be read. */
    public static double durationSeconds(byte[] wav) {
        int riff = indexOf(wav, ascii("RIFF"), 0);
        if (riff < 0) {
            return 0;
        }
        int fmt = indexOf(wav, ascii("fmt "), riff + 12);
        int idx = indexOf(wav, ascii("data"), riff + 12);
        if (idx < 0 || fmt < 0 || fmt + 24 > wav.length || idx + 8 > wav.length) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int byteRate = b.getInt(fmt + 16);
        int dataLen = b.getInt(idx + 4);
        return byteRate <= 0 ? 0 : (double) dataLen / byteRate;
    }

    static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
