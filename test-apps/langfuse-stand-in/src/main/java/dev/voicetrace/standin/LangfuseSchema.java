package dev.voicetrace.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates request bodies against Langfuse's own published OpenAPI 3.0 spec
 * ({@code shared/langfuse/openapi.yml}), using networknt's OpenAPI 3.0 dialect after the small
 * rewrites described in {@link OpenApi30Normalizer} (nullable {@code $ref}s, discriminated and
 * overlapping unions).
 *
 * <p>Thread-safe; {@link #load()} parses the 0.5 MB spec once per JVM.
 */
public final class LangfuseSchema {

    /** JSON pointer of {@code POST /api/public/otel/v1/traces}' JSON request body schema. */
    public static final String OTLP_REQUEST_POINTER =
            "/paths/~1api~1public~1otel~1v1~1traces/post/requestBody/content/application~1json/schema";
    /** JSON pointer of {@code POST /api/public/ingestion}'s JSON request body schema. */
    public static final String INGESTION_REQUEST_POINTER =
            "/paths/~1api~1public~1ingestion/post/requestBody/content/application~1json/schema";

    // The normalized document is handed to networknt under this made-up IRI so that no loader ever
    // reaches for the network or the file system; every $ref in the spec is document-local.
    private static final String DOCUMENT_IRI = "https://langfuse-stand-in.invalid/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static volatile LangfuseSchema shared;

    private final Path source;
    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemasByPointer = new ConcurrentHashMap<>();

    private LangfuseSchema(Path source) {
        this.source = source;
        try {
            this.document = new ObjectMapper(new YAMLFactory()).readTree(source.toFile());
            OpenApi30Normalizer.normalize(document);
            String normalized = JSON.writeValueAsString(document);
            this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(),
                    builder -> builder.schemas(Map.of(DOCUMENT_IRI, normalized)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Langfuse OpenAPI spec " + source, e);
        }
    }

    /** The spec found by system property {@code langfuse.openapi} or by walking up to {@code shared/}. */
    public static LangfuseSchema load() {
        LangfuseSchema current = shared;
        if (current == null) {
            synchronized (LangfuseSchema.class) {
                current = shared;
                if (current == null) {
                    current = new LangfuseSchema(OpenApiSpecLocator.locate());
                    shared = current;
                }
            }
        }
        return current;
    }

    /** A spec at an explicit path (not cached). */
    public static LangfuseSchema load(Path openApiYaml) {
        return new LangfuseSchema(openApiYaml.toAbsolutePath().normalize());
    }

    /** Where the spec was read from. */
    public Path source() {
        return source;
    }

    /** Errors of an OTLP/JSON {@code ExportTraceServiceRequest} body; empty when valid. */
    public List<String> validateOtlpRequest(String json) {
        return validateAt(json, OTLP_REQUEST_POINTER);
    }

    /** Errors of a legacy {@code /api/public/ingestion} batch body; empty when valid. */
    public List<String> validateIngestionRequest(String json) {
        return validateAt(json, INGESTION_REQUEST_POINTER);
    }

    /** Errors of {@code json} against {@code #/components/schemas/<componentSchemaName>}. */
    public List<String> validate(String json, String componentSchemaName) {
        String pointer = "/components/schemas/" + componentSchemaName;
        if (document.at(pointer).isMissingNode()) {
            throw new IllegalArgumentException("No component schema '" + componentSchemaName + "' in " + source);
        }
        return validateAt(json, pointer);
    }

    /** Errors of {@code json} against the schema at a JSON pointer into the OpenAPI document. */
    public List<String> validateAt(String json, String jsonPointer) {
        try {
            JSON.readTree(json); // networknt would report a parse failure as an exception; we want an error line
        } catch (JsonProcessingException e) {
            return List.of("/: not JSON: " + e.getOriginalMessage());
        }
        List<Error> errors = schemaAt(jsonPointer).validate(json, InputFormat.JSON);
        List<String> messages = new ArrayList<>();
        for (Error error : errors) {
            if (!isGuard(error)) {
                messages.add(describe(error));
            }
        }
        if (messages.isEmpty() && !errors.isEmpty()) {
            errors.forEach(error -> messages.add(describe(error))); // never hide a failure entirely
        }
        return Collections.unmodifiableList(messages);
    }

    private static String describe(Error error) {
        String location = error.getInstanceLocation().toString();
        return (location.isEmpty() ? "/" : location) + ": " + error.getMessage();
    }

    /** Whether the error comes from a helper schema added by {@link OpenApi30Normalizer}. */
    private boolean isGuard(Error error) {
        String location = error.getSchemaLocation().toString();
        int hash = location.indexOf('#');
        int lastSlash = location.lastIndexOf('/');
        if (hash < 0 || lastSlash <= hash) {
            return false;
        }
        JsonNode owner = document.at(location.substring(hash + 1, lastSlash));
        return owner.path(OpenApi30Normalizer.GUARD_MARKER).asBoolean(false);
    }

    public void assertValidOtlpRequest(String json) {
        failIfAny("OTLP request (POST /api/public/otel/v1/traces)", validateOtlpRequest(json), json);
    }

    public void assertValidIngestionRequest(String json) {
        failIfAny("ingestion request (POST /api/public/ingestion)", validateIngestionRequest(json), json);
    }

    public void assertValid(String json, String componentSchemaName) {
        failIfAny(componentSchemaName, validate(json, componentSchemaName), json);
    }

    private Schema schemaAt(String pointer) {
        return schemasByPointer.computeIfAbsent(pointer, p -> {
            if (document.at(p).isMissingNode()) {
                throw new IllegalArgumentException("Nothing at " + p + " in " + source);
            }
            Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p));
            schema.initializeValidators(); // resolve every $ref now, not half-way through a test
            return schema;
        });
    }

    private static void failIfAny(String what, List<String> errors, String json) {
        if (!errors.isEmpty()) {
            String shown = json.length() > 2000 ? json.substring(0, 2000) + "..." : json;
            throw new AssertionError("Invalid " + what + " per Langfuse's openapi.yml, "
                    + errors.size() + " error(s):\n  " + String.join("\n  ", errors) + "\nBody: " + shown);
        }
    }
}
