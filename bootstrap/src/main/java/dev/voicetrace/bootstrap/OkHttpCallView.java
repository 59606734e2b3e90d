package dev.voicetrace.bootstrap;

/**
 * What the agent reads of an OkHttp call ({@code okhttp3.Call}) on the application's thread. The
 * agent's implementation is compiled against OkHttp and defined in a class loader whose parent is
 * the application's OkHttp loader, so that its calls to OkHttp are plain calls; this interface,
 * here in the bootstrap, is the one type both sides see.
 */
public interface OkHttpCallView {

    /** The host of the call's request URL. */
    String host(Object call);

    /** The port of the call's request URL (the scheme's default when it names none). */
    int port(Object call);

    /** The call's request method. */
    String method(Object call);

    /** The encoded path of the call's request URL. */
    String encodedPath(Object call);

    /** The call's request with trace context added, or null when it is to be sent as made. */
    Object tracedRequest(Object call);
}
