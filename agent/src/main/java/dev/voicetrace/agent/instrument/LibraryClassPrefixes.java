package dev.voicetrace.agent.instrument;

import java.util.HashMap;
import java.util.Map;

/**
 * For each library switch ({@code voicetrace.instrumentation.*}), the class-name prefixes that cover
 * every type its instrumentation modules intercept: {@link LazyInstallation} builds a library's
 * transformations when the first class under one of them is loaded.
 */
public final class LibraryClassPrefixes {

    private static final Map<String, String[]> PREFIXES = new HashMap<>();

    static {
        PREFIXES.put("openai", new String[] {"com.openai.services."});
        PREFIXES.put("anthropic", new String[] {"com.anthropic.services."});
        PREFIXES.put("genai", new String[] {"com.google.genai."});
        PREFIXES.put("bedrock", new String[] {"software.amazon.awssdk.services.bedrockruntime."});
        PREFIXES.put("langchain4j", new String[] {"dev.langchain4j."});
        PREFIXES.put("springai", new String[] {"org.springframework.ai."});
        PREFIXES.put("polly", new String[] {"software.amazon.awssdk.services.polly."});
        PREFIXES.put("googlespeech", new String[] {"com.google.cloud.speech.v", "com.google.cloud.texttospeech.v1.",
            "com.google.api.gax."});
        PREFIXES.put("transcribe", new String[] {"software.amazon.awssdk.services.transcribestreaming."});
        PREFIXES.put("okhttp", new String[] {"okhttp3.internal."});
    }

    private LibraryClassPrefixes() {}

    /** The prefixes of a library switch's name; a name without an entry gets none (never triggers). */
    public static String[] of(String library) {
        String[] prefixes = PREFIXES.get(library);
        return prefixes == null ? new String[0] : prefixes.clone();
    }
}
