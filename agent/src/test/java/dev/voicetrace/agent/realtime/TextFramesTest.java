package dev.voicetrace.agent.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.CharBuffer;
import org.junit.jupiter.api.Test;

class TextFramesTest {

    @Test
    void findsAStringValueWithOrWithoutSpaces() {
        String compact = "{\"type\":\"response.done\",\"x\":1}";
        int at = TextFrames.stringValueStart(compact, "type", 256);
        assertTrue(TextFrames.valueIs(compact, at, "response.done"));
        assertFalse(TextFrames.valueIs(compact, at, "response.don"));
        assertTrue(TextFrames.valueStartsWith(compact, at, "response."));

        CharBuffer spaced = CharBuffer.wrap("{ \"event_id\": \"e1\",\n  \"type\" :  \"error\" }");
        int spacedAt = TextFrames.stringValueStart(spaced, "type", 256);
        assertTrue(TextFrames.valueIs(spaced, spacedAt, "error"));
    }

    @Test
    void aKeyInsideAValueOrBeyondTheWindowIsNotFound() {
        assertEquals(-1, TextFrames.stringValueStart("{\"text\":\"the type\",\"n\":1}", "type", 256));
        assertEquals(-1, TextFrames.stringValueStart("{\"type\":3}", "type", 256));
        String far = "{\"pad\":\"" + "x".repeat(300) + "\",\"type\":\"error\"}";
        assertEquals(-1, TextFrames.stringValueStart(far, "type", TextFrames.DISCRIMINATOR_WINDOW));
    }

    @Test
    void booleanFieldsAreReadInOneScanOfStringsAndCharBuffers() {
        String frame = "{\"type\":\"Results\",\"is_final\": true,\"speech_final\":false,\"x\":\"is_final\"}";
        for (CharSequence text : new CharSequence[] {frame, CharBuffer.wrap(frame.toCharArray()),
                CharBuffer.wrap(("xx" + frame).toCharArray(), 2, frame.length()).slice(),
                new StringBuilder(frame)}) {
            assertEquals(1, TextFrames.booleanValue(text, "\"is_final\""), text.getClass().getName());
            assertEquals(0, TextFrames.booleanValue(text, "\"speech_final\""));
            assertEquals(-1, TextFrames.booleanValue(text, "\"from_finalize\""));
            assertEquals(-1, TextFrames.booleanValue(text, "\"type\""), "not a boolean");
        }
    }

    @Test
    void base64AudioIsCountedAcrossPartsWithPadding() {
        for (int size : new int[] {0, 1, 2, 3, 4800, 4801, 4802}) {
            String frame = SocketScript.json("{'type':'response.output_audio.delta','event_id':'event_1',"
                    + "'response_id':'resp_1','item_id':'item_1','output_index':0,'content_index':0,'delta':'")
                    + SocketScript.base64Audio(size) + "\"}";
            Base64Field whole = new Base64Field();
            whole.start(frame, "delta");
            assertEquals(size, whole.bytes(), "whole frame of " + size + " bytes");

            Base64Field parts = new Base64Field();
            int cut2 = frame.length() - 3;
            int cut1 = Math.min(frame.indexOf("\"delta\"") + 12, cut2);
            parts.start(CharBuffer.wrap(frame, 0, cut1), "delta");
            parts.more(CharBuffer.wrap(frame, cut1, cut2));
            parts.more(CharBuffer.wrap(frame, cut2, frame.length()));
            assertEquals(size, parts.bytes(), "frame of " + size + " bytes in three parts");

            Base64Field keyLater = new Base64Field();
            int beforeKey = frame.indexOf("\"delta\"") - 1;
            keyLater.start(CharBuffer.wrap(frame, 0, beforeKey), "delta");
            keyLater.more(CharBuffer.wrap(frame, beforeKey, frame.length()));
            assertEquals(size, keyLater.bytes(), "frame of " + size + " bytes whose key is in its second part");
        }
    }
}
