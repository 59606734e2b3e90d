package dev.voicetrace.agent.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads and writes the agent's JSON trees with Jackson's streaming parser and generator only.
 * Jackson's {@code ObjectMapper} is never needed for trees, and loading it (with its serializer
 * and deserializer factories, some 350 classes) would cost every application a few MB of
 * metaspace. Note that {@link JsonNode#toString()} goes through an internal mapper: agent code
 * writes trees with {@link #write} instead.
 */
public final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Deeper documents are refused: no API's payload nests like this, and the tree would only grow. */
    private static final int MAX_DEPTH = 500;

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** The document's tree; null for empty input. */
    public static JsonNode read(byte[] json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return readDocument(parser);
        }
    }

    /** The tree of the document in {@code json}'s first {@code length} bytes; null for empty input. */
    public static JsonNode read(byte[] json, int offset, int length) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json, offset, length)) {
            return readDocument(parser);
        }
    }

    /** The document's tree; null for empty input. */
    public static JsonNode read(String json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return readDocument(parser);
        }
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

    private static JsonNode readDocument(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return null;
        }
        JsonNode node = readValue(parser, first);
        if (parser.nextToken() != null) {
            throw new IOException("trailing content after the JSON value at " + parser.getCurrentLocation());
        }
        return node;
    }

    /**
     * The value that starts with {@code first}, containers included. Iterative, with the open
     * containers on a stack of its own: each parser method has one call site, which keeps the code
     * the JIT compiles for it small (a recursive reader, its calls inlined into one another, took
     * the C2 compiler some 0.2 s per compilation), and nesting never reaches the thread's stack.
     */
    private static JsonNode readValue(JsonParser parser, JsonToken first) throws IOException {
        ContainerNode<?>[] open = new ContainerNode<?>[8];
        int depth = 0;
        JsonToken token = first;
        while (true) {
            if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                if (depth == 0) {
                    throw new IOException("unexpected " + token + " at " + parser.getCurrentLocation());
                }
                ContainerNode<?> closed = open[--depth];
                open[depth] = null;
                if (depth == 0) {
                    return closed;
                }
                token = parser.nextToken();
                continue;
            }
            ContainerNode<?> parent = depth == 0 ? null : open[depth - 1];
            String name = null;
            if (parent != null && parent.isObject()) {
                name = parser.getCurrentName();
                token = parser.nextToken();
            }
            JsonNode value;
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                if (depth >= MAX_DEPTH) {
                    throw new IOException("JSON nested deeper than " + MAX_DEPTH + " at " + parser.getCurrentLocation());
                }
                ContainerNode<?> container = token == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
                if (depth == open.length) {
                    open = java.util.Arrays.copyOf(open, depth * 2);
                }
                open[depth++] = container;
                value = container;
            } else {
                value = scalar(parser, token);
            }
            if (parent == null) {
                if (value.isContainerNode()) {
                    token = parser.nextToken();
                    continue;
                }
                return value;
            }
            if (name != null) {
                ((ObjectNode) parent).set(name, value);
            } else {
                ((ArrayNode) parent).add(value);
            }
            token = parser.nextToken();
        }
    }

    private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw new IOException("unexpected end of input at " + parser.getCurrentLocation());
        }
        switch (token) {
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return NODES.numberNode(parser.getIntValue());
                    case LONG:
                        return NODES.numberNode(parser.getLongValue());
                    default:
                        return NODES.numberNode(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected " + token + " at " + parser.getCurrentLocation());
        }
    }

    /**
     * Writes {@code root}. Iterative for the same reason as {@link #readValue}: one call site per
     * generator method, the open containers' iterators on a stack of its own.
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
