package dev.voicetrace.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explicit-discriminator path, which Langfuse's spec does not use today but may. */
class OpenApi30NormalizerTest {

    private static final String SPEC = String.join("\n",
            "openapi: 3.0.1",
            "components:",
            "  schemas:",
            "    Pet:",
            "      oneOf:",
            "        - $ref: '#/components/schemas/Cat'",
            "        - $ref: '#/components/schemas/Dog'",
            "      discriminator:",
            "        propertyName: kind",
            "        mapping:",
            "          cat: '#/components/schemas/Cat'",
            "    Cat:",
            "      type: object",
            "      properties:",
            "        kind: {type: string}",
            "        lives: {type: integer}",
            "    Dog:",
            "      type: object",
            "      properties:",
            "        kind: {type: string}",
            "        owner: {$ref: '#/components/schemas/Owner', nullable: true}",
            "    Owner:",
            "      type: object",
            "      required: [name]",
            "      properties:",
            "        name: {type: string}",
            "");

    @Test
    void explicitMappingAndImplicitSchemaNameSelectTheBranch(@TempDir Path dir) throws Exception {
        Path spec = Files.write(dir.resolve("openapi.yml"), SPEC.getBytes(StandardCharsets.UTF_8));
        LangfuseSchema schema = LangfuseSchema.load(spec);

        assertEquals(List.of(), schema.validate("{\"kind\":\"cat\",\"lives\":9}", "Pet"));
        assertEquals(List.of(), schema.validate("{\"kind\":\"Dog\",\"owner\":null}", "Pet"));
        // Cat and Dog are both loose objects: plain oneOf would fail {"kind":"Dog"} for matching twice.
        assertEquals(List.of(), schema.validate("{\"kind\":\"Dog\"}", "Pet"));

        List<String> wrongLives = schema.validate("{\"kind\":\"cat\",\"lives\":\"nine\"}", "Pet");
        System.out.println("[validator] cat with lives \"nine\" -> " + wrongLives);
        assertEquals(List.of("/lives: string found, integer expected"), wrongLives);

        List<String> badOwner = schema.validate("{\"kind\":\"Dog\",\"owner\":{}}", "Pet");
        System.out.println("[validator] dog with owner {} -> " + badOwner);
        assertEquals(List.of("/owner: required property 'name' not found"), badOwner);

        List<String> unknown = schema.validate("{\"kind\":\"cow\"}", "Pet");
        System.out.println("[validator] kind cow -> " + unknown);
        assertEquals(1, unknown.size());
        assertTrue(unknown.get(0).startsWith("/kind"), unknown.toString());
    }
}
