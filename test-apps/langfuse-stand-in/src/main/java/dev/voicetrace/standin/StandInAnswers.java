package dev.voicetrace.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.function.BiPredicate;
import mockwebserver3.MockResponse;

/** How the stand-in answers when no scripted behaviour is queued, and the 207 builder it shares. */
final class StandInAnswers {

    static final String OTLP_PATH = "/api/public/otel/v1/traces";
    static final String INGESTION_PATH = "/api/public/ingestion";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StandInAnswers() {
    }

    static MockResponse byDefault(RecordedCall call) {
        if (call.isPost(OTLP_PATH)) {
            return json(200, "{}");
        }
        if (call.isPost(INGESTION_PATH)) {
            return ingestion(call, (index, id) -> false);
        }
        return json(404, "{\"message\":\"stand-in: no route for " + call.method() + " " + call.path() + "\"}");
    }

    /**
     * A 207 multi-status answer as Langfuse gives it: one entry per batch event, in
     * {@code successes} (201) unless {@code rejected} says otherwise (400 in {@code errors}).
     */
    static MockResponse ingestion(RecordedCall call, BiPredicate<Integer, String> rejected) {
        JsonNode batch;
        try {
            batch = JSON.readTree(call.body()).path("batch");
        } catch (IOException e) {
            return json(400, "{\"message\":\"stand-in: body is not JSON\"}");
        }
        if (!batch.isArray()) {
            return json(400, "{\"message\":\"stand-in: body has no batch array\"}");
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode successes = answer.putArray("successes");
        ArrayNode errors = answer.putArray("errors");
        for (int i = 0; i < batch.size(); i++) {
            String id = batch.get(i).path("id").asText("");
            if (rejected.test(i, id)) {
                errors.addObject().put("id", id).put("status", 400)
                        .put("message", "stand-in: event rejected by test script")
                        .put("error", "Invalid request data");
            } else {
                successes.addObject().put("id", id).put("status", 201);
            }
        }
        return json(207, answer.toString());
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }
}
