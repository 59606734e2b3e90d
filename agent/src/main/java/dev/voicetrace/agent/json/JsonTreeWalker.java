package dev.voicetrace.agent.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Walks a JSON tree in document order and hands its tokens to a {@link Tokens}, which decides how
 * they are encoded: as JSON text ({@link JsonText}) or as JSON text escaped once more inside an
 * OTLP string attribute (the span writer). Scalars are turned into tokens here, once for every
 * writer, as Jackson's generator writes them: doubles and floats as {@link Double#toString} and
 * {@link Float#toString}, big numbers as their {@code toString}, binary as padded base64 with no
 * line breaks, and null for a missing node or a number that is not finite (JSON has none).
 *
 * <p>Iterative, with the open containers' iterators on a stack of its own, so that nesting never
 * reaches the thread's stack, and with one call site per kind of token, which keeps what the JIT
 * compiles of it small.
 */
public final class JsonTreeWalker {

    /** What a walk produces, in document order. */
    public interface Tokens {
        /** One of {@code { } [ ] , :}. */
        void punctuation(char c);

        /** A string value or a field name, to be quoted and escaped. */
        void string(String value);

        /** A number, boolean or null: ASCII text with nothing to escape, written as it is. */
        void literal(String text);

        /** An integer value, which a writer may write without making a string of it. */
        void integer(long value);
    }

    private JsonTreeWalker() {}

    /** Walks {@code root}; a null root is the JSON null. */
    public static void walk(JsonNode root, Tokens out) {
        Iterator<?>[] open = new Iterator<?>[8];
        boolean[] isObject = new boolean[8];
        boolean[] hasItems = new boolean[8];
        int depth = 0;
        JsonNode node = root;
        while (true) {
            if (node != null && node.isContainerNode()) {
                if (depth == open.length) {
                    open = Arrays.copyOf(open, depth * 2);
                    isObject = Arrays.copyOf(isObject, depth * 2);
                    hasItems = Arrays.copyOf(hasItems, depth * 2);
                }
                boolean object = node.isObject();
                out.punctuation(object ? '{' : '[');
                isObject[depth] = object;
                hasItems[depth] = false;
                open[depth] = object ? node.fields() : node.elements();
                depth++;
            } else {
                scalar(node, out);
            }
            // The next value to write, closing the containers it finds finished.
            node = null;
            boolean found = false;
            while (depth > 0 && !found) {
                Iterator<?> items = open[depth - 1];
                if (!items.hasNext()) {
                    open[--depth] = null;
                    out.punctuation(isObject[depth] ? '}' : ']');
                    continue;
                }
                if (hasItems[depth - 1]) {
                    out.punctuation(',');
                }
                hasItems[depth - 1] = true;
                if (isObject[depth - 1]) {
                    @SuppressWarnings("unchecked")
                    Map.Entry<String, JsonNode> field = (Map.Entry<String, JsonNode>) items.next();
                    out.string(field.getKey());
                    out.punctuation(':');
                    node = field.getValue();
                } else {
                    node = (JsonNode) items.next();
                }
                found = true;
            }
            if (!found) {
                return;
            }
        }
    }

    private static void scalar(JsonNode node, Tokens out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.literal("null");
        } else if (node.isTextual()) {
            out.string(node.textValue());
        } else if (node.isBoolean()) {
            out.literal(node.booleanValue() ? "true" : "false");
        } else if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                out.integer(node.longValue());
            } else {
                out.literal(node.bigIntegerValue().toString());
            }
        } else if (node.isFloat()) {
            float value = node.floatValue();
            out.literal(Float.isFinite(value) ? Float.toString(value) : "null");
        } else if (node.isBigDecimal()) {
            out.literal(node.decimalValue().toString());
        } else if (node.isNumber()) {
            double value = node.doubleValue();
            out.literal(Double.isFinite(value) ? Double.toString(value) : "null");
        } else if (node.isBinary()) {
            out.string(Base64.getEncoder().encodeToString(binary(node)));
        } else {
            // POJO nodes and anything else: their text, never an object the agent cannot write.
            out.string(node.asText());
        }
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            // A binary node holds its bytes; it never fails to give them.
            throw new java.io.UncheckedIOException(e);
        }
    }
}
