package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Cuts an exported item (an OTLP span or an ingestion event) down to the request size limit by
 * shortening its inputs and outputs, longest first, and marks it {@code truncated}, so that a huge
 * prompt or transcript costs its tail, never the whole observation.
 */
public final class ItemTruncator {

    private static final Set<String> CONTENT_ATTRIBUTES = Set.of("langfuse.observation.input",
            "langfuse.observation.output", "langfuse.trace.input", "langfuse.trace.output",
            "gen_ai.input.messages", "gen_ai.output.messages");
    /** Room left for the marker text and JSON escaping that the cut may change. */
    private static final int MARGIN_BYTES = 2048;

    private final int maxBytes;

    public ItemTruncator(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Shortens the item in place when its encoded size is over the limit.
     *
     * @return whether anything was cut
     */
    public boolean fit(ObjectNode item, int encodedBytes) {
        long excess = (long) encodedBytes - maxBytes + MARGIN_BYTES;
        if (excess <= 0) {
            return false;
        }
        List<Field> fields = contentFields(item);
        fields.sort(Comparator.comparingInt((Field f) -> f.text.length()).reversed());
        boolean cut = false;
        for (Field field : fields) {
            if (excess <= 0) {
                break;
            }
            int keep = (int) Math.max(0, field.text.length() - excess);
            // Bytes can exceed chars (UTF-8); cutting chars by the byte excess errs on the safe side.
            excess -= field.text.length() - keep;
            field.setter.accept(field.text.substring(0, keep) + "...[truncated by voicetrace: kept " + keep + " of "
                    + field.text.length() + " characters]");
            cut = true;
        }
        if (cut) {
            markTruncated(item);
        }
        return cut;
    }

    private static final class Field {
        final String text;
        final Consumer<String> setter;

        Field(String text, Consumer<String> setter) {
            this.text = text;
            this.setter = setter;
        }
    }

    private static List<Field> contentFields(ObjectNode item) {
        List<Field> fields = new ArrayList<>();
        for (JsonNode attribute : item.path("attributes")) {
            JsonNode value = attribute.path("value");
            if (CONTENT_ATTRIBUTES.contains(attribute.path("key").asText()) && value.path("stringValue").isTextual()) {
                ObjectNode target = (ObjectNode) value;
                fields.add(new Field(value.get("stringValue").asText(), text -> target.put("stringValue", text)));
            }
        }
        JsonNode body = item.path("body");
        if (body.isObject()) {
            for (String name : new String[] {"input", "output"}) {
                JsonNode value = body.get(name);
                if (value != null && !value.isNull()) {
                    ObjectNode target = (ObjectNode) body;
                    fields.add(new Field(value.isTextual() ? value.asText() : Json.write(value),
                            text -> target.put(name, text)));
                }
            }
        }
        return fields;
    }

    private static void markTruncated(ObjectNode item) {
        if (item.path("attributes").isArray()) {
            ObjectNode attribute = item.withArray("attributes").addObject();
            attribute.put("key", "langfuse.observation.metadata.truncated");
            attribute.putObject("value").put("stringValue", "true");
        }
        JsonNode body = item.path("body");
        if (body.isObject()) {
            JsonNode metadata = body.path("metadata");
            if (metadata.isObject()) {
                ((ObjectNode) metadata).put("truncated", "true");
            } else if (metadata.isMissingNode() || metadata.isNull()) {
                ((ObjectNode) body).putObject("metadata").put("truncated", "true");
            }
        }
    }
}
