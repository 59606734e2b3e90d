package dev.voicetrace.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites three constructs of Langfuse's OpenAPI 3.0 document, in place, before the networknt
 * validator (OpenAPI 3.0 dialect) sees it. The dialect itself handles {@code nullable: true} next
 * to {@code type}, formats and {@code $ref}; these rewrites cover what it cannot know:
 *
 * <ol>
 *   <li><b>{@code $ref} with {@code nullable: true}</b> (e.g. {@code level}, {@code usageDetails}):
 *       OpenAPI 3.0 ignores siblings of {@code $ref}, so the validator rejects {@code null} there.
 *       Langfuse's spec is generated from optional/nullable fields and its server accepts null, so
 *       we turn it into {@code anyOf: [{$ref}, {enum: [null]}]}.</li>
 *   <li><b>Discriminated unions</b>: a {@code oneOf}/{@code anyOf} with a {@code discriminator},
 *       or whose branches all pin one property to a single {@code enum} value (IngestionEvent pins
 *       {@code type}; the spec carries no {@code discriminator} keyword). Plain {@code oneOf}
 *       would report every branch's failures. We rewrite it into "the property is one of the known
 *       values, and for each value v: property != v OR the branch for v holds", so exactly the
 *       branch chosen by the value is validated and unknown values fail on the enum.</li>
 *   <li><b>Other {@code oneOf} become {@code anyOf}</b>: Langfuse's undiscriminated unions (MapValue,
 *       UsageDetails, ...) overlap, e.g. {@code 100} is both {@code integer} and {@code number}, and
 *       {@code null} matches every nullable branch. Strict oneOf would reject
 *       {@code modelParameters: {"max_tokens": 100}}, which the server (first-match union) accepts.</li>
 * </ol>
 */
final class OpenApi30Normalizer {

    /**
     * Marks the helper schemas these rewrites add ({@code enum: [null]}, {@code not: <value>}). Their
     * failures only say "the other branch applies" and are dropped from reports; see
     * {@link LangfuseSchema}.
     */
    static final String GUARD_MARKER = "x-stand-in-guard";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenApi30Normalizer() {
    }

    static void normalize(JsonNode node) {
        if (node instanceof ObjectNode) {
            ObjectNode object = (ObjectNode) node;
            rewriteNullableRef(object);
            rewriteUnion(object);
            object.forEach(OpenApi30Normalizer::normalize);
        } else if (node instanceof ArrayNode) {
            node.forEach(OpenApi30Normalizer::normalize);
        }
    }

    private static void rewriteNullableRef(ObjectNode object) {
        if (!object.has("$ref") || !object.path("nullable").asBoolean(false)) {
            return;
        }
        ObjectNode ref = NODES.objectNode().set("$ref", object.remove("$ref"));
        ObjectNode nullOnly = guard().set("enum", NODES.arrayNode().addNull());
        object.remove("nullable");
        object.set("anyOf", NODES.arrayNode().add(ref).add(nullOnly));
    }

    private static void rewriteUnion(ObjectNode object) {
        String keyword = object.has("oneOf") ? "oneOf" : object.has("anyOf") ? "anyOf" : null;
        if (keyword == null || !object.get(keyword).isArray()) {
            return;
        }
        ArrayNode branches = (ArrayNode) object.get(keyword);
        Discriminated union = Discriminated.find(object.path("discriminator"), branches);
        if (union != null) {
            object.remove(keyword);
            object.remove("discriminator");
            appendAllOf(object, union.asImplications());
        } else if (keyword.equals("oneOf")) {
            object.set("anyOf", object.remove("oneOf"));
        }
    }

    private static void appendAllOf(ObjectNode object, List<ObjectNode> clauses) {
        ArrayNode allOf = object.has("allOf") ? (ArrayNode) object.get("allOf") : NODES.arrayNode();
        clauses.forEach(allOf::add);
        object.set("allOf", allOf);
    }

    private static ObjectNode guard() {
        return NODES.objectNode().put(GUARD_MARKER, true);
    }

    /** A union whose branch is selected by the value of one property. */
    private static final class Discriminated {
        private final String property;
        private final Map<String, JsonNode> branchByValue;

        private Discriminated(String property, Map<String, JsonNode> branchByValue) {
            this.property = property;
            this.branchByValue = branchByValue;
        }

        static Discriminated find(JsonNode discriminator, ArrayNode branches) {
            String property = discriminator.path("propertyName").asText(null);
            if (property == null) {
                property = commonPinnedProperty(branches);
            }
            if (property == null) {
                return null;
            }
            Map<String, JsonNode> byValue = new LinkedHashMap<>();
            discriminator.path("mapping").fields().forEachRemaining(
                    e -> byValue.put(e.getKey(), NODES.objectNode().put("$ref", e.getValue().asText())));
            for (JsonNode branch : branches) {
                String value = pinnedValue(branch, property);
                if (value == null && branch.has("$ref")) {
                    // OpenAPI's implicit mapping: the value is the referenced schema's name.
                    String ref = branch.get("$ref").asText();
                    value = ref.substring(ref.lastIndexOf('/') + 1);
                    if (byValue.containsValue(branch)) {
                        continue;
                    }
                }
                if (value == null) {
                    return null; // a branch we cannot select: leave the union as it is
                }
                byValue.putIfAbsent(value, branch);
            }
            return new Discriminated(property, byValue);
        }

        List<ObjectNode> asImplications() {
            List<ObjectNode> clauses = new ArrayList<>();
            ArrayNode known = NODES.arrayNode();
            branchByValue.keySet().forEach(known::add);
            clauses.add(NODES.objectNode()
                    .put("type", "object")
                    .<ObjectNode>set("required", NODES.arrayNode().add(property))
                    .set("properties", NODES.objectNode().set(property, NODES.objectNode().set("enum", known))));
            branchByValue.forEach((value, branch) -> {
                ObjectNode isValue = NODES.objectNode().set("properties",
                        NODES.objectNode().set(property, NODES.objectNode().set("enum", NODES.arrayNode().add(value))));
                ObjectNode notValue = guard().set("not", isValue);
                clauses.add(NODES.objectNode().set("anyOf", NODES.arrayNode().add(notValue).add(branch)));
            });
            return clauses;
        }

        /** The property every branch pins to one enum value, or null. */
        private static String commonPinnedProperty(ArrayNode branches) {
            if (branches.size() < 2) {
                return null;
            }
            String candidate = null;
            for (Iterator<String> names = pinnedProperties(branches.get(0)).iterator(); names.hasNext(); ) {
                String name = names.next();
                boolean everyBranch = true;
                for (JsonNode branch : branches) {
                    everyBranch &= pinnedValue(branch, name) != null;
                }
                if (everyBranch) {
                    candidate = name;
                    break;
                }
            }
            return candidate;
        }

        private static List<String> pinnedProperties(JsonNode schema) {
            List<String> names = new ArrayList<>();
            schema.path("properties").fieldNames().forEachRemaining(name -> {
                if (pinnedValue(schema, name) != null) {
                    names.add(name);
                }
            });
            schema.path("allOf").forEach(part -> names.addAll(pinnedProperties(part)));
            return names;
        }

        /** The single enum value this schema (or its inline allOf parts) pins the property to. */
        private static String pinnedValue(JsonNode schema, String property) {
            JsonNode values = schema.path("properties").path(property).path("enum");
            if (values.isArray() && values.size() == 1 && values.get(0).isTextual()) {
                return values.get(0).asText();
            }
            for (JsonNode part : schema.path("allOf")) {
                String value = pinnedValue(part, property);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }
    }
}
