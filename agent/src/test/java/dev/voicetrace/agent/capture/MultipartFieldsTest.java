package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A multipart request's form fields as {@link SdkJson#requestBody(Object)} reads them. */
class MultipartFieldsTest {

    /** Shaped like a generated SDK's enum-like value: equal by its wire string. */
    public static final class FakeModel {
        private final String value;

        FakeModel(String value) {
            this.value = value;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FakeModel && ((FakeModel) other).value.equals(value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(value);
        }
    }

    /** Shaped like the SDK's mapper holder: {@code jsonMapper()} gives an object that serialises. */
    public static final class FakeObjectMappers {
        static final FakeMapper MAPPER = new FakeMapper();

        public static FakeMapper jsonMapper() {
            return MAPPER;
        }
    }

    public static final class FakeMapper {
        int serialised;

        public byte[] writeValueAsBytes(Object value) {
            serialised++;
            String json = value instanceof FakeModel ? "\"" + ((FakeModel) value).value + "\""
                    : "[" + String.join(",", ((List<?>) value).stream().map(each -> "\"" + each + "\"")
                            .toArray(String[]::new)) + "]";
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A form part: its value behind {@code value().asKnown()}, as the SDK's multipart field keeps it. */
    public static final class FakePart {
        private final FakeField value;

        FakePart(Object value) {
            this.value = new FakeField(value);
        }

        public FakeField value() {
            return value;
        }
    }

    /** Shaped like the SDK's JSON field: a known value, or none for one the SDK could not type. */
    public static final class FakeField {
        private final Object known;

        FakeField(Object known) {
            this.known = known;
        }

        public Optional<Object> asKnown() {
            return Optional.ofNullable(known);
        }
    }

    /** Request params whose body is the map of form parts. */
    public static final class FakeParams {
        private final Map<String, FakePart> body = new LinkedHashMap<>();

        FakeParams(Object model, Object granularities) {
            body.put("model", new FakePart(model));
            body.put("language", new FakePart("en"));
            body.put("temperature", new FakePart(0.5));
            body.put("timestamp_granularities", new FakePart(granularities));
        }

        public Map<String, FakePart> _body() {
            return body;
        }
    }

    /**
     * Strings and numbers are written as they are; the SDK's own values through its mapper, found
     * by the request's class (a JDK list has no SDK loader); an equal enum-like value only once.
     */
    @Test
    void anSdkValueIsSerialisedOnceAndATreeEveryTime() throws Exception {
        SdkJson json = new SdkJson(FakeObjectMappers.class.getName());
        FakeMapper mapper = FakeObjectMappers.MAPPER;
        mapper.serialised = 0;

        JsonNode first = json.requestBody(new FakeParams(new FakeModel("whisper-1"), List.of("word")));
        assertEquals("{\"model\":\"whisper-1\",\"language\":\"en\",\"temperature\":0.5,"
                + "\"timestamp_granularities\":[\"word\"]}", first.toString());
        assertEquals(2, mapper.serialised, "the model and the list, through the SDK's mapper");

        JsonNode second = json.requestBody(new FakeParams(new FakeModel("whisper-1"), List.of("word")));
        assertEquals(first, second);
        assertEquals(3, mapper.serialised, "an equal model is not serialised again; a list is");

        JsonNode other = json.requestBody(new FakeParams(new FakeModel("gpt-4o-transcribe"), List.of("segment")));
        assertEquals("gpt-4o-transcribe", other.get("model").asText());
        assertEquals("[\"segment\"]", other.get("timestamp_granularities").toString());
        assertEquals(5, mapper.serialised);
    }
}
