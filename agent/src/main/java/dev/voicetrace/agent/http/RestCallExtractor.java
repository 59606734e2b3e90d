package dev.voicetrace.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a vendor's REST call made through any HTTP client: the client, the status and an error
 * body are read here the same way for every vendor; the vendor's class reads its paths.
 */
public abstract class RestCallExtractor implements CallExtractor {

    /** One call's exchange as the vendor's reader needs it. */
    protected static final class Exchange {
        public final HttpCall http;
        public final Map<String, String> query;
        public final String path;
        /** The response body as JSON, null when it is empty. */
        public final JsonNode responseJson;
        /** The status was 400 or more. */
        public final boolean failed;
        public final boolean interrupted;

        Exchange(HttpCall http, JsonNode responseJson, boolean failed, boolean interrupted) {
            this.http = http;
            this.query = SpeechWire.query(http.uri.getRawQuery());
            this.path = http.uri.getRawPath();
            this.responseJson = responseJson;
            this.failed = failed;
            this.interrupted = interrupted;
        }

        /** The request body as JSON, an empty object when there is none. */
        public JsonNode requestJson() throws IOException {
            JsonNode body = json(http.requestBody);
            return body == null ? Json.object() : body;
        }

        public boolean requestIsJson() {
            return http.requestContentType != null
                    && http.requestContentType.toLowerCase(Locale.ROOT).contains("json");
        }
    }

    @Override
    public final void extract(CompletedCall call, StageRecord record) throws Exception {
        extract(HttpCall.of(call), call.interrupted(), record);
    }

    /** Reads {@code http} into {@code record}; the entry for tests that build exchanges by hand. */
    public final void extract(HttpCall http, boolean interrupted, StageRecord record) throws Exception {
        record.metadata.put("http_client", http.client());
        int status = http.response.statusCode();
        JsonNode responseJson = json(http.response.jsonBody());
        boolean failed = status >= 400;
        if (failed && record.error == null) {
            record.error = SpeechWire.httpError(status, responseJson);
        }
        read(new Exchange(http, responseJson, failed, interrupted), record);
    }

    /** The vendor's part: request and response of the operation {@code record.operation}. */
    protected abstract void read(Exchange exchange, StageRecord record) throws Exception;

    protected static JsonNode json(byte[] bytes) throws IOException {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        return Json.read(bytes);
    }

    /** A path without its trailing slash. */
    public static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
