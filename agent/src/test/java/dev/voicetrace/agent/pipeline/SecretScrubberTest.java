package dev.voicetrace.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretScrubberTest {

    @Test
    void openAiKeysAreRedacted() {
        String message = "com.openai.errors.UnauthorizedException: 401: Incorrect API key provided: "
                + "sk-proj-AbCdEf123456_ghIJkl-7890. You can find your API key at https://platform.openai.com.";
        String scrubbed = SecretScrubber.scrub(message);
        assertFalse(scrubbed.contains("AbCdEf123456"), scrubbed);
        assertTrue(scrubbed.contains("Incorrect API key provided: [redacted]"), scrubbed);
        assertTrue(scrubbed.endsWith("You can find your API key at https://platform.openai.com."), scrubbed);

        assertEquals("key [redacted]", SecretScrubber.scrub("key sk-1234567890abcdefghij"));
    }

    @Test
    void langfuseKeysAreRedacted() {
        String scrubbed = SecretScrubber.scrub(
                "keys pk-lf-1234abcd-5678-90ef-aaaa-bbbbccccdddd and sk-lf-9876fedc-5432-10ba-cccc-ddddeeeeffff");
        assertEquals("keys [redacted] and [redacted]", scrubbed);
    }

    @Test
    void authorizationHeaderValuesAreRedacted() {
        assertEquals("Authorization: Bearer [redacted]",
                SecretScrubber.scrub("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"));
        assertEquals("authorization: bearer [redacted]", SecretScrubber.scrub("authorization: bearer abcdefgh12345678"));
        assertEquals("Authorization: Basic [redacted]",
                SecretScrubber.scrub("Authorization: Basic cGstbGYtMTIzNDpzay1sZi01Njc4OTA="));
        assertEquals("{\"api_key\": \"[redacted]\"}", SecretScrubber.scrub("{\"api_key\": \"abcd1234efgh5678\"}"));
        assertEquals("api-key=[redacted]", SecretScrubber.scrub("api-key=abcd1234efgh5678"));
        // Deepgram's scheme, and ElevenLabs' header
        assertEquals("Authorization: Token [redacted]",
                SecretScrubber.scrub("Authorization: Token 4f7a1c9e2b6d80539b2e5d7c1a3f6084"));
        assertEquals("the token expired", SecretScrubber.scrub("the token expired"), "ordinary words stay");
        assertEquals("xi-api-key: [redacted]", SecretScrubber.scrub("xi-api-key: 9b2e5d7c1a3f6084aa"));
    }

    @Test
    void ordinaryTextIsUntouched() {
        String[] texts = {
            "java.net.SocketTimeoutException: Read timed out after 10000 ms",
            "com.openai.errors.RateLimitException: 429: Rate limit reached for gpt-4o-mini in organization"
                    + " org-abc on tokens per min (TPM): Limit 200000, Used 199850, Requested 1117.",
            "We open at seven tomorrow. Fresh croissants are ready by eight!",
            "HTTP 503 from https://api.openai.com/v1/audio/transcriptions (request id req_8f2b1c)",
            "sk-short",
        };
        for (String text : texts) {
            assertEquals(text, SecretScrubber.scrub(text));
        }
        assertNull(SecretScrubber.scrub(null));
        assertEquals("", SecretScrubber.scrub(""));
    }

    @Test
    void wordsEndingInSkAreNotMistakenForKeys() {
        // "task-" and "disk-" contain "sk-" but are not keys; thread and pool names show up in error messages.
        String text = "java.util.concurrent.RejectedExecutionException: Task rejected from task-executor-pool"
                + " (disk-cache-writer busy)";
        assertEquals(text, SecretScrubber.scrub(text));
    }
}
