package dev.voicetrace.agent.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the agent's JSON trees with {@link JsonTreeReader} and writes them with Jackson's
 * streaming generator. Jackson's {@code ObjectMapper} is never needed for trees, and loading it
 * (with its serializer and deserializer factories, some 350 classes) would cost every
 * application a few MB of metaspace. Note that {@link JsonNode#toString()} goes through an internal mapper: agent code
 * writes trees with {@link #write} instead.
 */
public final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();
    /**
     * The factory of every node the agent makes: Jackson's, but for its containers, which start
     * small ({@link FieldMapNodeFactory}).
     */
    public static final JsonNodeFactory NODES = new FieldMapNodeFactory();

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** The document's tree; null for empty input. */
    public static JsonNode read(byte[] json) throws IOException {
        return JsonTreeReader.read(json, 0, json.length);
    }

    /** The tree of the document in {@code json}'s bytes from {@code offset}; null for empty input. */
    public static JsonNode read(byte[] json, int offset, int length) throws IOException {
        return JsonTreeReader.read(json, offset, length);
    }

    /** The document's tree; null for empty input. */
    public static JsonNode read(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return JsonTreeReader.read(bytes, 0, bytes.length);
    }

    public static String write(JsonNode node) {
        StringWriter out = new StringWriter(64);
        write(node, out);
        return out.toString();
    }

    /** Writes the node's JSON text to {@code out}, which is closed after it. */
    public static void write(JsonNode node, java.io.Writer out) {
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writeNode(generator, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] writeBytes(JsonNode node) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writeNode(generator, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes {@code root}. Iterative, with one call site per generator method, which keeps the code
     * the JIT compiles for it small (a recursive writer, its calls inlined into one another, makes
     * for large compilations), and the open containers' iterators on a stack of its own, so that
     * nesting never reaches the thread's stack.
     */
    private static void writeNode(JsonGenerator out, JsonNode root) throws IOException {
        Iterator<?>[] open = new Iterator<?>[8];
        boolean[] isObject = new boolean[8];
        int depth = 0;
        JsonNode node = root;
        while (true) {
            if (node != null && node.isContainerNode()) {
                if (depth == open.length) {
                    open = java.util.Arrays.copyOf(open, depth * 2);
                    isObject = java.util.Arrays.copyOf(isObject, depth * 2);
                }
                isObject[depth] = node.isObject();
                if (isObject[depth]) {
                    out.writeStartObject();
                    open[depth++] = node.fields();
                } else {
                    out.writeStartArray();
                    open[depth++] = node.elements();
                }
            } else {
                writeScalar(out, node);
            }
            // The next value to write, closing the containers it finds finished.
            node = null;
            while (depth > 0 && node == null) {
                Iterator<?> items = open[depth - 1];
                if (!items.hasNext()) {
                    open[--depth] = null;
                    if (isObject[depth]) {
                        out.writeEndObject();
                    } else {
                        out.writeEndArray();
                    }
                } else if (isObject[depth - 1]) {
                    @SuppressWarnings("unchecked")
                    Map.Entry<String, JsonNode> field = (Map.Entry<String, JsonNode>) items.next();
                    out.writeFieldName(field.getKey());
                    node = field.getValue();
                } else {
                    node = (JsonNode) items.next();
                }
            }
            if (node == null) {
                return;
            }
        }
    }

    /** A value that is not a container; null and missing are written as JSON null. */
    private static void writeScalar(JsonGenerator out, JsonNode node) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.writeNull();
        } else if (node.isTextual()) {
            out.writeString(node.textValue());
        } else if (node.isBoolean()) {
            out.writeBoolean(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                out.writeNumber(node.longValue());
            } else {
                out.writeNumber(node.bigIntegerValue());
            }
        } else if (node.isFloat()) {
            out.writeNumber(node.floatValue());
        } else if (node.isBigDecimal()) {
            out.writeNumber(node.decimalValue());
        } else if (node.isNumber()) {
            double value = node.doubleValue();
            if (Double.isFinite(value)) {
                out.writeNumber(value);
            } else {
                out.writeNull();
            }
        } else if (node.isBinary()) {
            out.writeBinary(node.binaryValue());
        } else {
            // POJO nodes and anything else: their text, never an object the agent cannot write.
            out.writeString(node.asText());
        }
    }
}
