package dev.voicetrace.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks a setting up in system properties first, then in environment variables. An option
 * {@code voicetrace.foo.bar} falls back to {@code VOICETRACE_FOO_BAR}; Langfuse options fall back
 * to the variables the Langfuse SDKs read.
 */
public final class ConfigSource {

    private final Properties properties;
    private final Map<String, String> environment;
    /** Every agent option asked for: the known names, against which typos are told apart. */
    private final Set<String> askedOptions = ConcurrentHashMap.newKeySet();

    public ConfigSource(Properties properties, Map<String, String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    public static ConfigSource fromSystem() {
        return new ConfigSource(System.getProperties(), System.getenv());
    }

    /** The value of the property, else of the first environment variable set, else null. */
    public String get(String property, String... environmentVariables) {
        if (property.startsWith("voicetrace.")) {
            askedOptions.add(property);
        }
        String value = trimToNull(properties.getProperty(property));
        if (value != null) {
            return value;
        }
        for (String variable : environmentVariables) {
            value = trimToNull(environment.get(variable));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** An agent option, with the environment variable derived from the property name. */
    public String option(String property) {
        askedOptions.add(property);
        return get(property, environmentName(property));
    }

    /** Where an option's value came from, for messages: {@code -Dname} or the environment variable. */
    public String origin(String property) {
        return trimToNull(properties.getProperty(property)) != null ? property : environmentName(property);
    }

    /** {@code voicetrace.foo.bar} -> {@code VOICETRACE_FOO_BAR}. */
    public static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The options asked for so far through {@link #option}. */
    public Set<String> askedOptions() {
        return Collections.unmodifiableSet(askedOptions);
    }

    /** System properties starting with {@code prefix} (e.g. {@code voicetrace.}), sorted. */
    public List<String> propertyNames(String prefix) {
        List<String> names = new ArrayList<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                names.add(name);
            }
        }
        Collections.sort(names);
        return names;
    }

    /** Environment variables starting with {@code prefix} (e.g. {@code VOICETRACE_}), sorted. */
    public List<String> environmentNames(String prefix) {
        List<String> names = new ArrayList<>();
        for (String name : environment.keySet()) {
            if (name.startsWith(prefix)) {
                names.add(name);
            }
        }
        Collections.sort(names);
        return names;
    }

    private static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
