package dev.voicetrace.agent.provider;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.http.HttpEndpoints;

/**
 * A vendor's REST API, reached through whatever HTTP client the application uses: its paths are
 * matched per client, each with that client's own observer of the response body.
 */
public interface HttpApi {

    /** The path rules of this API, their operations observed by {@code observer}. */
    HttpEndpoints.PathRules rules(CallObserver observer);
}
