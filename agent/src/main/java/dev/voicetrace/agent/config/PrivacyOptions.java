package dev.voicetrace.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The options that decide what leaves the process: whether message content is captured, what is
 * redacted from it, which sessions are kept, and which user, tags and call metadata traces carry.
 */
public final class PrivacyOptions {

    /** {@code full}: content is exported (redacted); {@code metadata}: no content at all. */
    public enum ContentMode { FULL, METADATA }

    /** Every built-in detector, in the order they run. */
    public static final List<String> DETECTORS = Collections.unmodifiableList(
            Arrays.asList("email", "iban", "card", "ssn", "phone"));
    /**
     * On by default: numbers whose storage is regulated (PCI DSS for card numbers) and never needed
     * to debug a pipeline, told apart by checksums or fixed shapes, so ordinary text is not touched.
     */
    public static final String DEFAULT_REDACT = "card,iban,ssn";

    public final ContentMode contentMode;
    /** Built-in detectors switched on, a subset of {@link #DETECTORS}. */
    public final Set<String> detectors;
    /** Custom patterns; each match becomes {@code [redacted]}. */
    public final List<Pattern> patterns;
    public final double sampleRate;
    public final boolean sampleKeepErrors;
    /** MDC key whose value is the Langfuse user id; null when not configured. */
    public final String userMdcKey;
    public final List<String> tags;
    /** MDC keys copied into trace metadata. */
    public final List<String> metadataMdcKeys;

    PrivacyOptions(OptionReader options) {
        contentMode = ContentMode.valueOf(options.choice("voicetrace.capture.content", "full", "full", "metadata")
                .toUpperCase(Locale.ROOT));
        detectors = detectors(options);
        patterns = patterns(options);
        sampleRate = options.decimal("voicetrace.sample.rate", 1.0, 0.0, 1.0);
        sampleKeepErrors = options.bool("voicetrace.sample.keep.errors", true);
        userMdcKey = options.text("voicetrace.user.mdc.key");
        tags = Collections.unmodifiableList(options.list("voicetrace.tags"));
        metadataMdcKeys = Collections.unmodifiableList(options.list("voicetrace.metadata.mdc.keys"));
    }

    /** Whether anything is redacted at all. */
    public boolean redacts() {
        return !detectors.isEmpty() || !patterns.isEmpty();
    }

    /**
     * {@code none}, {@code all} or a list of detector names. A name not understood switches every
     * detector on: a misspelt redaction option must not let card numbers out.
     */
    private static Set<String> detectors(OptionReader options) {
        String name = "voicetrace.redact";
        String value = options.text(name, DEFAULT_REDACT);
        List<String> items = OptionReader.split(value.toLowerCase(Locale.ROOT));
        Set<String> chosen = new LinkedHashSet<>();
        if (items.size() == 1 && items.get(0).equals("none")) {
            return Collections.emptySet();
        }
        boolean understood = !items.isEmpty();
        for (String item : items) {
            if (item.equals("all")) {
                chosen.addAll(DETECTORS);
            } else if (DETECTORS.contains(item)) {
                chosen.add(item);
            } else {
                understood = false;
            }
        }
        if (!understood) {
            options.warn(name, value, "none, all, or a comma-separated list of " + String.join(", ", DETECTORS),
                    "all of them");
            chosen.addAll(DETECTORS);
        }
        // Run in the documented order whatever order they were given in.
        Set<String> ordered = new LinkedHashSet<>(DETECTORS);
        ordered.retainAll(chosen);
        return Collections.unmodifiableSet(ordered);
    }

    /** One regular expression, or {@code @file} with one per line ({@code #} starts a comment line). */
    private static List<Pattern> patterns(OptionReader options) {
        String name = "voicetrace.redact.patterns";
        String value = options.text(name);
        List<Pattern> compiled = new ArrayList<>();
        if (value == null) {
            return compiled;
        }
        List<String> sources = new ArrayList<>();
        if (value.startsWith("@")) {
            try {
                for (String line : Files.readAllLines(Paths.get(value.substring(1)), StandardCharsets.UTF_8)) {
                    if (!line.trim().isEmpty() && !line.trim().startsWith("#")) {
                        sources.add(line.trim());
                    }
                }
            } catch (IOException | RuntimeException e) {
                options.warn(name, value, "a regular expression or @file naming a readable file of them"
                        + " (" + e.getClass().getSimpleName() + ")", "no custom patterns");
                return compiled;
            }
        } else {
            sources.add(value);
        }
        for (String source : sources) {
            try {
                compiled.add(Pattern.compile(source));
            } catch (PatternSyntaxException e) {
                options.warn(name, source, "a Java regular expression (" + e.getDescription() + " at index "
                        + e.getIndex() + ")", "the other patterns, without this one");
            }
        }
        return Collections.unmodifiableList(compiled);
    }
}
