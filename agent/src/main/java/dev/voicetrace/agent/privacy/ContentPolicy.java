package dev.voicetrace.agent.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.voicetrace.agent.config.PrivacyOptions.ContentMode;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides what of a call's content may leave the process, in the one place every exporter's data
 * passes through: the stage record on the processing thread, after the linker has taken its keys
 * (they stay in memory and are never exported) and before anything is projected. Every string the
 * record exports (messages, tool arguments and results, transcripts, replies, instructions, error
 * messages, metadata, text model parameters) is redacted; in {@code metadata} mode the content is
 * left out altogether and only its shape and size remain.
 */
public final class ContentPolicy {

    public static final ContentPolicy FULL = new ContentPolicy(ContentMode.FULL, Redactor.NONE);

    /**
     * Request and response fields whose short values describe the call rather than the conversation:
     * kept in {@code metadata} mode (when they look like identifiers), so the shape stays readable.
     */
    private static final Set<String> STRUCTURAL_FIELDS = new HashSet<>(Arrays.asList("role", "type", "model",
            "finish_reason", "finishReason", "stop_reason", "stopReason", "status", "object", "voice",
            "response_format", "format", "output_format", "outputFormat", "language", "languageCode",
            "language_code", "encoding", "mime_type", "mimeType", "media_type", "mediaType", "content_type",
            "contentType"));
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.:/\\-]{1,64}");
    private static final JsonNodeFactory JSON = Json.NODES;

    private final ContentMode mode;
    private final Redactor redactor;

    public ContentPolicy(ContentMode mode, Redactor redactor) {
        this.mode = mode;
        this.redactor = redactor;
    }

    /** Whether {@link #apply} changes anything at all (otherwise it need not be called). */
    public boolean isActive() {
        return mode == ContentMode.METADATA || redactor.isActive();
    }

    public Redactor redactor() {
        return redactor;
    }

    /** Makes the record fit to leave the process; returns the number of redactions made. */
    public int apply(StageRecord record) {
        if (mode == ContentMode.METADATA) {
            omitContent(record);
        }
        if (!redactor.isActive()) {
            return 0;
        }
        RedactionCount count = new RedactionCount();
        record.input = redactTree(record.input, count);
        record.output = redactTree(record.output, count);
        record.inputText = redactor.redact(record.inputText, count);
        record.outputText = redactor.redact(record.outputText, count);
        record.error = redactor.redact(record.error, count);
        record.userId = redactor.redact(record.userId, count);
        for (Map.Entry<String, String> entry : record.traceMetadata.entrySet()) {
            entry.setValue(redactor.redact(entry.getValue(), count));
        }
        for (Map.Entry<String, String> entry : record.metadata.entrySet()) {
            entry.setValue(redactor.redact(entry.getValue(), count));
        }
        for (Map.Entry<String, Object> entry : record.modelParameters.entrySet()) {
            if (entry.getValue() instanceof String) {
                entry.setValue(redactor.redact((String) entry.getValue(), count));
            }
        }
        if (count.get() > 0) {
            record.metadata.put("redactions", Integer.toString(count.get()));
        }
        return count.get();
    }

    /** Redacts a string that is exported outside a record (a user id, an MDC value). */
    public String redact(String text) {
        return redactor.redact(text);
    }

    /**
     * The tree with every string redacted, changed in place (a changed root string is a new node).
     * Iterative, with the open containers on a stack of its own and one call of the redactor: a
     * recursive walk had the redactor inlined at every level C2 unrolled, one of the agent's
     * larger compilations, and a deep tree never reaches the thread's stack.
     */
    private JsonNode redactTree(JsonNode root, RedactionCount count) {
        if (root == null || !root.isContainerNode()) {
            return redactedText(root, count);
        }
        // Per open container: the iterator over an object's fields, or an array and its next index.
        Object[] cursors = new Object[8];
        int[] next = new int[8];
        int depth = 0;
        cursors[depth++] = root.isObject() ? root.fields() : root;
        while (depth > 0) {
            Object cursor = cursors[depth - 1];
            Map.Entry<String, JsonNode> field = null;
            JsonNode value;
            if (cursor instanceof ArrayNode) {
                ArrayNode array = (ArrayNode) cursor;
                if (next[depth - 1] == array.size()) {
                    cursors[--depth] = null;
                    continue;
                }
                value = array.get(next[depth - 1]++);
            } else {
                @SuppressWarnings("unchecked")
                Iterator<Map.Entry<String, JsonNode>> fields = (Iterator<Map.Entry<String, JsonNode>>) cursor;
                if (!fields.hasNext()) {
                    cursors[--depth] = null;
                    continue;
                }
                field = fields.next();
                value = field.getValue();
            }
            if (value != null && value.isContainerNode()) {
                if (depth == cursors.length) {
                    cursors = Arrays.copyOf(cursors, depth * 2);
                    next = Arrays.copyOf(next, depth * 2);
                }
                next[depth] = 0;
                cursors[depth++] = value.isObject() ? value.fields() : value;
                continue;
            }
            JsonNode redacted = redactedText(value, count);
            if (redacted != value) {
                if (field != null) {
                    field.setValue(redacted);
                } else {
                    ((ArrayNode) cursor).set(next[depth - 1] - 1, redacted);
                }
            }
        }
        return root;
    }

    /** A text node with its string redacted (itself when nothing changed); any other node as it is. */
    private JsonNode redactedText(JsonNode node, RedactionCount count) {
        if (node == null || !node.isTextual()) {
            return node;
        }
        String text = node.textValue();
        String redacted = redactor.redact(text, count);
        return redacted == text ? node : TextNode.valueOf(redacted);
    }

    private static void omitContent(StageRecord record) {
        if (record.inputText != null) {
            record.metadata.put("input_chars", Integer.toString(record.inputText.length()));
        }
        if (record.outputText != null) {
            record.metadata.put("output_chars", Integer.toString(record.outputText.length()));
        }
        record.metadata.put("content", "omitted");
        record.input = shape(record.input, null);
        record.output = shape(record.output, null);
        record.inputText = null;
        record.outputText = null;
        if (record.error != null) {
            record.error = exceptionType(record.error);
        }
        String extractionError = record.metadata.get("extraction_error");
        if (extractionError != null) {
            record.metadata.put("extraction_error", exceptionType(extractionError));
        }
        record.modelParameters.values().removeIf(value -> value instanceof String
                && !IDENTIFIER.matcher((String) value).matches());
    }

    /**
     * A copy of the tree with the same fields, arrays, numbers and booleans, where each text is
     * replaced by its length ({@code [42 chars]}); short identifier-like values of structural fields
     * (role, type, model, ...) are kept.
     */
    private static JsonNode shape(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            if (field != null && STRUCTURAL_FIELDS.contains(field) && IDENTIFIER.matcher(text).matches()) {
                return node;
            }
            return TextNode.valueOf("[" + text.length() + " chars]");
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                copy.set(entry.getKey(), shape(entry.getValue(), entry.getKey()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.arrayNode(node.size());
            for (JsonNode element : node) {
                copy.add(shape(element, field));
            }
            return copy;
        }
        return node;
    }

    /** {@code com.example.SomeException: message} -> {@code com.example.SomeException}. */
    private static String exceptionType(String error) {
        int colon = error.indexOf(':');
        return colon < 0 ? error : error.substring(0, colon);
    }
}
