package dev.voicetrace.agent.pipeline;

import java.util.regex.Pattern;

/**
 * Removes things that look like credentials from text the agent exports or logs (error messages
 * quote request details): API keys of the common providers and authorization header values.
 */
public final class SecretScrubber {

    private static final Pattern SECRETS = Pattern.compile(
            "(?i)(\\bsk-[a-z0-9_\\-]{8,}|\\bsk-lf-[a-z0-9\\-]{8,}|\\bpk-lf-[a-z0-9\\-]{8,}"
                    + "|(?<=bearer )[a-z0-9._\\-]{8,}"
                    // Deepgram's "Authorization: Token <key>": a long run with at least one digit.
                    + "|(?<=token )(?=[a-z0-9._\\-]*[0-9])[a-z0-9._\\-]{16,}"
                    // Basic credentials are base64 with at least one digit, '+', '/' or '=' in practice
                    // of this length; plain words after "basic" stay.
                    + "|(?<=basic )(?=[a-z0-9+/=]*[0-9+/=])[a-z0-9+/=]{12,}"
                    + "|(?<=api[_-]key[\"'=: ]{1,4})[a-z0-9._\\-]{8,})");

    private SecretScrubber() {}

    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        return SECRETS.matcher(text).replaceAll("[redacted]");
    }
}
