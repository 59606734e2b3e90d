package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Matchers.any;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Collections;
import java.util.List;

/**
 * OkHttp 4 and 5: every call, {@code execute()} or {@code enqueue(...)}, gets its response from
 * {@code RealCall.getResponseWithInterceptorChain} (after the application's interceptors, before
 * the application sees it). Calls are recognised by the request's host and path; the response of
 * a recognised call is handed back with an observing body source.
 */
public final class OkHttpInstrumentation implements InstrumentationModule {

    static final String REAL_CALL = "okhttp3.internal.connection.RealCall";

    private final String operationKey;

    public OkHttpInstrumentation(String operationKey) {
        this.operationKey = operationKey;
    }

    @Override
    public String name() {
        return "okhttp";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"okhttp3.internal."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return named(REAL_CALL);
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return any();
    }

    @Override
    public List<Interception> interceptions() {
        return Collections.singletonList(Interception.byKey(
                named("getResponseWithInterceptorChain$okhttp").and(takesArguments(0)), operationKey));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            REAL_CALL + "#getResponseWithInterceptorChain$okhttp",
            REAL_CALL + "#request",
            "okhttp3.Request#url",
            "okhttp3.Request#method",
            "okhttp3.HttpUrl#host",
            "okhttp3.HttpUrl#port",
            "okhttp3.HttpUrl#encodedPath",
            "okhttp3.Response#newBuilder",
            "okhttp3.ResponseBody#create",
            "okhttp3.RequestBody#writeTo",
            "okio.Okio#buffer",
            "okio.Buffer#copyTo",
        };
    }
}
