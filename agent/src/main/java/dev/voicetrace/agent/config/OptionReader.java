package dev.voicetrace.agent.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads agent options with their type and range, and says what it could not use: a value that is
 * not understood or out of range gives one warning naming the option, the value, what is accepted
 * and the value used instead; an unknown {@code voicetrace.*} name is reported with the closest
 * known option. A mistyped option must never pass silently, least of all a privacy option.
 */
public final class OptionReader {

    private final ConfigSource source;
    private final List<String> warnings = new ArrayList<>();

    public OptionReader(ConfigSource source) {
        this.source = source;
    }

    /** The option's text, or null when it is not set. */
    public String text(String name) {
        return source.option(name);
    }

    public String text(String name, String fallback) {
        String value = source.option(name);
        return value == null ? fallback : value;
    }

    public boolean bool(String name, boolean fallback) {
        String value = source.option(name);
        if (value == null) {
            return fallback;
        }
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        warn(name, value, "true or false", Boolean.toString(fallback));
        return fallback;
    }

    public int integer(String name, int fallback, int min, int max) {
        String value = source.option(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Said below, with what is accepted.
        }
        warn(name, value, "an integer from " + min + " to " + max, Integer.toString(fallback));
        return fallback;
    }

    public double decimal(String name, double fallback, double min, double max) {
        String value = source.option(name);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        warn(name, value, "a number from " + plain(min) + " to " + plain(max), plain(fallback));
        return fallback;
    }

    /** One of {@code accepted} (case does not matter), returned in lower case. */
    public String choice(String name, String fallback, String... accepted) {
        String value = source.option(name);
        if (value == null) {
            return fallback;
        }
        for (String candidate : accepted) {
            if (candidate.equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        warn(name, value, "one of " + String.join(", ", accepted), fallback);
        return fallback;
    }

    /** A comma-separated list, trimmed, without empty entries; empty when not set. */
    public List<String> list(String name) {
        return split(source.option(name));
    }

    public static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return items;
    }

    /** Records a value that could not be used. */
    public void warn(String name, String value, String accepted, String used) {
        String warning = "option " + source.origin(name) + "=" + value + " is not understood: accepted is " + accepted
                + "; using " + used;
        // An option read twice (a switch asked by config and runtime) is reported once.
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    /** Records a free-form problem with an option. */
    public void problem(String message) {
        warnings.add(message);
    }

    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /**
     * One line per {@code voicetrace.*} system property and {@code VOICETRACE_*} environment
     * variable that names no option asked for so far, with the closest known one.
     */
    public List<String> unknownOptions() {
        Set<String> known = source.askedOptions();
        List<String> lines = new ArrayList<>();
        for (String property : source.propertyNames("voicetrace.")) {
            if (!known.contains(property)) {
                lines.add("unknown option " + property + " is ignored; the closest known option is "
                        + closest(property, known));
            }
        }
        List<String> knownVariables = new ArrayList<>();
        for (String option : known) {
            knownVariables.add(ConfigSource.environmentName(option));
        }
        for (String variable : source.environmentNames("VOICETRACE_")) {
            if (!knownVariables.contains(variable)) {
                lines.add("unknown environment variable " + variable + " is ignored; the closest known one is "
                        + closest(variable, knownVariables));
            }
        }
        return lines;
    }

    /** The candidate with the smallest edit distance to {@code name} (ties: alphabetical order). */
    static String closest(String name, Collection<String> candidates) {
        List<String> sorted = new ArrayList<>(candidates);
        Collections.sort(sorted);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : sorted) {
            int distance = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance, two rows at a time. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
