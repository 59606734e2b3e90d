package dev.voicetrace.agent.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts an exported item (an OTLP span or an ingestion event) down to the request size limit by
 * shortening its long texts, longest first, so that a huge prompt or transcript costs its tail,
 * never the whole observation. Which texts an item has, and how it is marked cut, is its
 * projector's to say ({@link ContentFields}); the cut happens on the tree before it is encoded
 * for export.
 */
public final class ItemTruncator {

    /** Where an item's long texts are and how it says it was cut: known to the projector of its format. */
    public interface ContentFields {
        List<Field> of(ObjectNode item);

        void markTruncated(ObjectNode item);
    }

    /** One long text of an item, and how to replace it. */
    public static final class Field {
        final String text;
        final Consumer<String> setter;

        public Field(String text, Consumer<String> setter) {
            this.text = text;
            this.setter = setter;
        }
    }

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
    public boolean fit(ObjectNode item, int encodedBytes, ContentFields format) {
        long excess = (long) encodedBytes - maxBytes + MARGIN_BYTES;
        if (excess <= 0) {
            return false;
        }
        List<Field> fields = new ArrayList<>(format.of(item));
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
            format.markTruncated(item);
        }
        return cut;
    }
}
