package dev.voicetrace.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LangfuseSchemaTest {

    private final LangfuseSchema schema = LangfuseSchema.load();

    private static List<String> report(String what, List<String> errors) {
        System.out.println("[validator] " + what + " -> " + (errors.isEmpty() ? "valid" : errors.size() + " error(s)"));
        errors.forEach(error -> System.out.println("    " + error));
        return errors;
    }

    @Test
    void specIsFoundBesideTheRepository() {
        assertTrue(Files.isRegularFile(schema.source()), schema.source().toString());
        assertTrue(schema.source().endsWith(Path.of("shared", "langfuse", "openapi.yml")));
    }

    @Test
    void realisticOtlpRequestPasses() {
        String json = Payloads.otlpRequest().toString();
        assertEquals(List.of(), report("valid OTLP request", schema.validateOtlpRequest(json)));
        schema.assertValidOtlpRequest(json);
    }

    @Test
    void otlpIntValueThatIsNotAnIntegerFails() {
        ObjectNode request = Payloads.otlpRequest();
        ObjectNode value = (ObjectNode) request.at("/resourceSpans/0/scopeSpans/0/spans/1/attributes/2/value");
        value.put("intValue", "abc");
        List<String> asText = report("intValue \"abc\"", schema.validateOtlpRequest(request.toString()));
        assertTrue(asText.stream().anyMatch(e -> e.contains("/attributes/2/value/intValue")), asText.toString());

        value.put("intValue", 1.5);
        List<String> asFraction = report("intValue 1.5", schema.validateOtlpRequest(request.toString()));
        assertTrue(asFraction.stream().anyMatch(e -> e.contains("/attributes/2/value/intValue")), asFraction.toString());

        AssertionError thrown = assertThrows(AssertionError.class, () -> schema.assertValidOtlpRequest(request.toString()));
        assertTrue(thrown.getMessage().contains("intValue"), thrown.getMessage());
    }

    @Test
    void otlpRequestWithoutResourceSpansFails() {
        List<String> errors = report("OTLP without resourceSpans",
                schema.validateOtlpRequest("{\"scopeSpans\":[]}"));
        assertTrue(errors.stream().anyMatch(e -> e.contains("resourceSpans")), errors.toString());
    }

    @Test
    void nullableFieldsAcceptNull() {
        // nullable next to type (OtelSpan.name) and nullable next to $ref (OtelAttribute.value, level)
        assertEquals(List.of(), report("OtelSpan with nulls",
                schema.validate("{\"name\":null,\"kind\":null,\"attributes\":[{\"key\":\"k\",\"value\":null}]}", "OtelSpan")));
        assertEquals(List.of(), report("generation body with null level/usageDetails",
                schema.validate("{\"level\":null,\"usageDetails\":null,\"modelParameters\":{\"stop\":null}}",
                        "CreateGenerationBody")));
        assertFalse(report("OtelSpan name 5", schema.validate("{\"name\":5}", "OtelSpan")).isEmpty());
    }

    @Test
    void realisticIngestionBatchPasses() {
        String json = Payloads.ingestionBatch().toString();
        assertEquals(List.of(), report("valid ingestion batch", schema.validateIngestionRequest(json)));
        schema.assertValidIngestionRequest(json);
    }

    @Test
    void unknownEventTypeFails() {
        ObjectNode batch = Payloads.ingestionBatch();
        ((ObjectNode) batch.at("/batch/1")).put("type", "span-explode");
        List<String> errors = report("event type span-explode", schema.validateIngestionRequest(batch.toString()));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("/batch/1/type"), errors.toString());
    }

    @Test
    void generationWithUnknownLevelFailsOnThatFieldOnly() {
        ObjectNode batch = Payloads.ingestionBatch();
        ((ObjectNode) batch.at("/batch/2/body")).put("level", "LOUD");
        List<String> errors = report("generation-create level LOUD", schema.validateIngestionRequest(batch.toString()));
        // The discriminator picked the generation-create branch: one error, on the field itself.
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("/batch/2/body/level"), errors.toString());
    }

    @Test
    void generationWithWrongTypedUsageFails() {
        ObjectNode batch = Payloads.ingestionBatch();
        ((ObjectNode) batch.at("/batch/2/body/usageDetails")).put("input", "ten");
        ((ObjectNode) batch.at("/batch/2/body")).put("completionStartTime", "yesterday");
        List<String> errors = report("generation-create usageDetails.input \"ten\", completionStartTime \"yesterday\"",
                schema.validateIngestionRequest(batch.toString()));
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("/batch/2/body/usageDetails/input")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("/batch/2/body/completionStartTime")), errors.toString());
    }

    @Test
    void batchMissingBatchFails() {
        List<String> errors = report("ingestion without batch", schema.validateIngestionRequest("{\"events\":[]}"));
        assertTrue(errors.stream().anyMatch(e -> e.contains("batch")), errors.toString());
        assertThrows(AssertionError.class, () -> schema.assertValidIngestionRequest("{\"events\":[]}"));
    }

    @Test
    void componentSchemasCanBeValidatedByName() {
        assertEquals(List.of(), schema.validate(
                "{\"id\":\"e\",\"timestamp\":\"2024-05-01T10:00:00Z\",\"type\":\"event-create\",\"body\":{\"name\":\"tts\"}}",
                "IngestionEvent"));
        assertFalse(report("IngestionEvent without id/timestamp",
                schema.validate("{\"type\":\"event-create\",\"body\":{}}", "IngestionEvent")).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> schema.validate("{}", "NoSuchSchema"));
        assertEquals(1, report("not JSON", schema.validateOtlpRequest("{oops")).size());
    }
}
