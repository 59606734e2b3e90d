package dev.voicetrace.agent.projection;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Map;

/**
 * JSON text for the small values written on every span (usage, cost, model parameters, times),
 * built in a string builder: a full serializer per value costs more than the value.
 */
final class SmallJson {

    private SmallJson() {}

    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        appendString(out, value);
        return out.toString();
    }

    /** An array of strings. */
    static String stringArray(java.util.List<String> values) {
        StringBuilder out = new StringBuilder(16 * values.size() + 2).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendString(out, values.get(i));
        }
        return out.append(']').toString();
    }

    /** An object of strings, booleans and numbers; anything else is written as its string. */
    static String object(Map<String, ?> values) {
        StringBuilder out = new StringBuilder(16 * values.size() + 2).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, entry.getKey());
            out.append(':');
            appendValue(out, entry.getValue());
        }
        return out.append('}').toString();
    }

    private static void appendValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof Number) {
            out.append(Decimals.toJson(((Number) value).doubleValue()));
        } else {
            appendString(out, value.toString());
        }
    }

    private static void appendString(StringBuilder out, String value) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        out.append('"');
    }
}
