package dev.voicetrace.agent.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Jackson's node factory, but for the containers it makes: objects hold their fields in a
 * {@link FieldMap}, and arrays start with room for two items rather than ten (the arrays of API
 * bodies mostly hold one or two: a response's choices, a message's parts). Containers made through
 * a node of these trees ({@code putObject}, {@code putArray}) come from the same factory.
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

    @Override
    public ArrayNode arrayNode() {
        return new ArrayNode(this, 2);
    }
}
