package dev.voicetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return named(REAL_CALL);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
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
            "okhttp3.HttpUrl#encodedPath",
            "okhttp3.Response#newBuilder",
            "okhttp3.ResponseBody#create",
            "okhttp3.RequestBody#writeTo",
            "okio.Okio#buffer",
            "okio.Buffer#copyTo",
        };
    }
}
