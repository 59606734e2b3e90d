package dev.voicetrace.agent.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Looks a setting up in system properties first, then in environment variables. An option
 * {@code voicetrace.foo.bar} falls back to {@code VOICETRACE_FOO_BAR}; Langfuse options fall back
 * to the variables the Langfuse SDKs read.
 */
public final class ConfigSource {

    private final Properties properties;
    private final Map<String, String> environment;

    public ConfigSource(Properties properties, Map<String, String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    public static ConfigSource fromSystem() {
        return new ConfigSource(System.getProperties(), System.getenv());
    }

    /** The value of the property, else of the first environment variable set, else null. */
    public String get(String property, String... environmentVariables) {
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
        return get(property, property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }

    private static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
