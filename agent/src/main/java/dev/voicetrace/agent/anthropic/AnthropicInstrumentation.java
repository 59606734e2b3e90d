package dev.voicetrace.agent.anthropic;

import dev.voicetrace.agent.instrument.GeneratedSdkInstrumentation;
/**
 * anthropic-java: {@code messages().create} and {@code createStreaming}. The beta message service
 * and the batch service are other types and are left alone.
 */
public final class AnthropicInstrumentation extends GeneratedSdkInstrumentation {

    public AnthropicInstrumentation() {
        super("anthropic-java", "com.anthropic.services.",
                new String[] {
                    "com.anthropic.services.blocking.MessageService$WithRawResponse",
                    "com.anthropic.services.async.MessageServiceAsync$WithRawResponse",
                },
                new String[] {
                    "com.anthropic.core.http.HttpResponseFor#parse",
                    "com.anthropic.core.http.StreamResponse#stream",
                });
    }
}
