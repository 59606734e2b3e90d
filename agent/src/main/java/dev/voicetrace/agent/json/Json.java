package dev.voicetrace.agent.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the agent's JSON trees with {@link JsonTreeReader} and writes them with
 * {@link JsonTreeWalker}: of Jackson, the agent loads only the tree's node classes. Its
 * {@code ObjectMapper} (with its serializer and deserializer factories, some 350 classes) would
 * cost every application a few MB of metaspace, and its generator's factory some fifty classes at
 * start. Note that {@link JsonNode#toString()} goes through an internal mapper: agent code writes
 * trees with {@link #write} instead.
 */
public final class Json {

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

    /** The tree's JSON text, as Jackson's generator would write it; a null tree is {@code null}. */
    public static String write(JsonNode node) {
        return JsonText.stringOf(node);
    }

    /** The tree's JSON text as UTF-8. */
    public static byte[] writeBytes(JsonNode node) {
        return JsonText.bytesOf(node);
    }
}
