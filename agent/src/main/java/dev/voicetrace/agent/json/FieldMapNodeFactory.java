package dev.voicetrace.agent.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Jackson's node factory, but for the objects it makes, which hold their fields in a
 * {@link FieldMap}. Objects made through a node of these trees ({@code putObject}, {@code withObject})
 * come from the same factory.
 */
final class FieldMapNodeFactory extends JsonNodeFactory {

    private static final long serialVersionUID = 1L;

    FieldMapNodeFactory() {
        super(false);
    }

    @Override
    public ObjectNode objectNode() {
        return new ObjectNode(this, new FieldMap());
    }
}
