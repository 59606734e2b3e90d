package dev.voicetrace.bootstrap;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;

/**
 * W3C Trace Context and Baggage for the turn in progress, across services.
 *
 * <p>Out: while a turn (or a session) is in the calling thread's {@link TraceContext}, a request
 * to an allowed host gets {@code traceparent} (the turn's trace and the span its observations hang
 * under), {@code tracestate} with a {@code voicetrace} entry (the turn's trace, root and opening
 * transcription, which survive when another agent's {@code traceparent} is sent instead) and
 * {@code baggage} with {@code session.id} and {@code user.id}. A header the request already has is
 * never replaced: when another agent sent its own {@code traceparent}, the {@code tracestate} entry
 * (added when the request has no {@code tracestate}) still names the turn to the receiving service.
 *
 * <p>In: a request's {@code traceparent}, {@code tracestate} and {@code baggage} become the
 * context of the work that handles it: a remote {@link TurnIdentity} and the session.
 *
 * <p>Advice calls these methods on application threads: they never throw, and return at once
 * when propagation is off or no context is set.
 */
public final class TracePropagation {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String BAGGAGE = "baggage";
    static final String STATE_KEY = "voicetrace";
    static final String SESSION_KEY = "session.id";
    static final String USER_KEY = "user.id";

    /** Which hosts outgoing requests may carry the headers to. */
    public interface HostFilter {
        boolean allows(String host, int port);
    }

    private static volatile boolean outgoing;
    private static volatile boolean incoming;
    private static volatile HostFilter hosts = (host, port) -> false;
    /** Whether {@link TraceContext#attributes} starts with the user id, and how many attributes it has. */
    private static volatile boolean userAttributeFirst;
    private static volatile int attributeCount;

    private static final Object UNCHANGED = new Object();
    private static final Object NO_CONTEXT = new Object();

    private TracePropagation() {}

    public static void enable(boolean out, boolean in, HostFilter filter, boolean userFirst, int attributes) {
        hosts = filter;
        userAttributeFirst = userFirst;
        attributeCount = attributes;
        outgoing = out;
        incoming = in;
    }

    public static void disable() {
        outgoing = false;
        incoming = false;
    }

    public static boolean isOutgoingEnabled() {
        return outgoing;
    }

    // ---------------------------------------------------------------- out

    /**
     * Whether trace context goes to {@code host}:{@code port} at all: asked before a request's
     * headers are read, so that a call to a host outside the propagation list (most of an
     * application's calls, its model vendors' among them) reads nothing more.
     */
    public static boolean sendsTo(String host, int port) {
        try {
            return outgoing && host != null && hosts.allows(host, port);
        } catch (Throwable ignored) {
            return false;
        }
    }

    /**
     * Headers to add to a request for {@code host}:{@code port} (port -1 when the URL names none),
     * name then value, or null. {@code traceparent} is the request's own, or null.
     */
    public static String[] outgoingHeaders(String host, int port, String traceparent, boolean hasTracestate,
                                           boolean hasBaggage) {
        try {
            if (!outgoing) {
                return null;
            }
            TraceContext context = TraceContext.current();
            if (context == null || (context.turn == null && context.sessionId == null) || host == null
                    || !hosts.allows(host, port)) {
                return null;
            }
            String[] headers = new String[6];
            int count = 0;
            TurnIdentity turn = context.turn;
            if (turn != null) {
                if (traceparent == null) {
                    headers[count++] = TRACEPARENT;
                    headers[count++] = "00-" + turn.traceId + "-" + turn.spanId + "-01";
                }
                if (!hasTracestate) {
                    headers[count++] = TRACESTATE;
                    headers[count++] = STATE_KEY + "=" + turn.traceId + "-" + turn.spanId
                            + (turn.openerSpanId == null ? "" : "-" + turn.openerSpanId);
                }
            }
            if (!hasBaggage) {
                String baggage = baggage(context);
                if (baggage != null) {
                    headers[count++] = BAGGAGE;
                    headers[count++] = baggage;
                }
            }
            if (count == 0) {
                return null;
            }
            if (count < headers.length) {
                String[] used = new String[count];
                System.arraycopy(headers, 0, used, 0, count);
                return used;
            }
            return headers;
        } catch (Throwable ignored) {
            return null;
        }
    }

    private static String baggage(TraceContext context) {
        String user = userAttributeFirst && context.attributes != null ? context.attributes[0] : null;
        String session = context.sessionBaggage();
        if (user == null) {
            return session;
        }
        StringBuilder value = new StringBuilder(64);
        if (session != null) {
            value.append(session).append(',');
        }
        value.append(USER_KEY).append('=');
        percentEncode(user, value);
        return value.toString();
    }

    /** W3C Baggage values: UTF-8, every byte outside the allowed set percent-encoded. */
    static void percentEncode(String text, StringBuilder out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            // baggage-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E; '%' itself is encoded too.
            boolean plain = c == 0x21 || (c >= 0x23 && c <= 0x2B && c != 0x25) || (c >= 0x2D && c <= 0x3A)
                    || (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
    }

    // ---------------------------------------------------------------- in

    /**
     * A request arrived with these headers (each null when absent): the thread takes up the turn
     * and session they name until {@link #exitIncoming}.
     *
     * @return a token for {@link #exitIncoming}
     */
    public static Object enterIncoming(String traceparent, String tracestate, String baggage) {
        try {
            TraceContext context = incomingContext(traceparent, tracestate, baggage);
            return context == null ? UNCHANGED : install(context);
        } catch (Throwable ignored) {
            return UNCHANGED;
        }
    }

    /** The context a request with these headers (each null when absent) is handled in, or null for none. */
    static TraceContext incomingContext(String traceparent, String tracestate, String baggage) {
        if (!incoming || (traceparent == null && baggage == null)) {
            return null;
        }
        TurnIdentity turn = fromTracestate(tracestate);
        if (turn == null) {
            turn = fromTraceparent(traceparent);
        }
        String session = baggageValue(baggage, SESSION_KEY);
        String user = userAttributeFirst ? baggageValue(baggage, USER_KEY) : null;
        if (turn == null && session == null && user == null) {
            return null;
        }
        String[] attributes = null;
        if (user != null && attributeCount > 0) {
            attributes = new String[attributeCount];
            attributes[0] = user;
        }
        return new TraceContext(session, 0, attributes, turn);
    }

    /** Makes {@code context} the thread's, unless the thread already handles the same remote turn; a token for {@link #exitIncoming}. */
    static Object install(TraceContext context) {
        TraceContext previous = TraceContext.current();
        if (previous != null && previous.turn != null && context.turn != null && previous.turn.remote
                && previous.turn.traceId.equals(context.turn.traceId)) {
            return UNCHANGED; // a filter chain or a forward: the request was taken up already
        }
        TraceContext.set(context);
        return previous == null ? NO_CONTEXT : previous;
    }

    /** The request {@link #enterIncoming} returned {@code token} for is handled: the thread's context is put back. */
    public static void exitIncoming(Object token) {
        try {
            if (token != UNCHANGED && token != null) {
                TraceContext.set(token == NO_CONTEXT ? null : (TraceContext) token);
            }
        } catch (Throwable ignored) {
            // Nothing to undo.
        }
    }

    /** A servlet request ({@code javax} or {@code jakarta}): its headers are read through {@code getHeader}. */
    public static Object enterServlet(Object request) {
        return enterWithHeaders(request);
    }

    /**
     * A Spring WebFlux request ({@code ServerHttpRequest}, on any server): its headers are read
     * through {@code getHeaders().getFirst}. The handler is built in the request's context; the
     * {@code Mono} it returns is made to be subscribed in it by {@link #exitWebFlux}.
     *
     * @return a token for {@link #exitWebFlux}
     */
    public static Object enterWebFlux(Object request) {
        try {
            if (!incoming || request == null) {
                return UNCHANGED;
            }
            Method getHeaders = GET_HEADERS.get(request.getClass());
            return getHeaders == null ? UNCHANGED : enterWithHeaders(getHeaders.invoke(request));
        } catch (Throwable ignored) {
            return UNCHANGED;
        }
    }

    /**
     * The WebFlux handler that {@link #enterWebFlux} returned {@code token} for has built
     * {@code handling} (its {@code Mono}, not yet subscribed): the thread's context is put back and
     * the {@code Mono} to return instead is one subscribed in the request's context, so that
     * Reactor's operators (see {@link ReactorPropagation}) carry it to every signal of the request.
     */
    public static Object exitWebFlux(Object token, Object handling) {
        if (token == UNCHANGED || token == null) {
            return handling;
        }
        TraceContext context = null;
        try {
            context = TraceContext.current();
        } catch (Throwable ignored) {
            // Put back below all the same.
        }
        exitIncoming(token);
        return ReactorPropagation.subscribedIn(handling, context);
    }

    /** {@code headers} has {@code getHeader(String)} (a servlet request) or {@code getFirst(String)} (Spring's {@code HttpHeaders}). */
    static Object enterWithHeaders(Object headers) {
        try {
            if (!incoming || headers == null) {
                return UNCHANGED;
            }
            Method header = HEADER.get(headers.getClass());
            if (header == null) {
                return UNCHANGED;
            }
            return enterIncoming((String) header.invoke(headers, TRACEPARENT),
                    (String) header.invoke(headers, TRACESTATE), (String) header.invoke(headers, BAGGAGE));
        } catch (Throwable ignored) {
            return UNCHANGED;
        }
    }

    private static final ClassValue<Method> HEADER = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            Method getHeader = publicMethod(type, "getHeader", String.class);
            return getHeader != null ? getHeader : publicMethod(type, "getFirst", String.class);
        }
    };

    private static final ClassValue<Method> GET_HEADERS = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return publicMethod(type, "getHeaders");
        }
    };

    /** {@code name(parameters)} of {@code type}, as declared by a public class or interface (invocable reflectively). */
    public static Method publicMethod(Class<?> type, String name, Class<?>... parameters) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (Modifier.isPublic(c.getModifiers())) {
                try {
                    return c.getMethod(name, parameters);
                } catch (NoSuchMethodException ignored) {
                    // Try the interfaces.
                }
            }
            for (Class<?> i : c.getInterfaces()) {
                Method found = publicMethod(i, name, parameters);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** A turn from the {@code voicetrace} entry of {@code tracestate}: {@code trace-span[-opener]}. */
    static TurnIdentity fromTracestate(String tracestate) {
        if (tracestate == null) {
            return null;
        }
        for (String member : tracestate.split(",")) {
            String entry = member.trim();
            if (!entry.startsWith(STATE_KEY + "=")) {
                continue;
            }
            String[] ids = entry.substring(STATE_KEY.length() + 1).split("-");
            if ((ids.length == 2 || ids.length == 3) && isId(ids[0], 32) && isId(ids[1], 16)
                    && (ids.length == 2 || isId(ids[2], 16))) {
                return TurnIdentity.remote(ids[0], ids[1], ids.length == 3 ? ids[2] : null);
            }
            return null;
        }
        return null;
    }

    /** A turn from {@code traceparent} (version 00, or a later one read as 00 prescribes), or null. */
    static TurnIdentity fromTraceparent(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String value = traceparent.trim();
        if (value.length() < 55 || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return null;
        }
        String version = value.substring(0, 2);
        if (!isHex(version) || version.equals("ff") || (version.equals("00") && value.length() != 55)
                || (value.length() > 55 && value.charAt(55) != '-')) {
            return null;
        }
        String traceId = value.substring(3, 35);
        String spanId = value.substring(36, 52);
        if (!isId(traceId, 32) || !isId(spanId, 16) || !isHex(value.substring(53, 55))) {
            return null;
        }
        return TurnIdentity.remote(traceId, spanId, null);
    }

    /** Lowercase hex of the given length, not all zeros. */
    static boolean isId(String text, int length) {
        if (text.length() != length || !isHex(text)) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) != '0') {
                return true;
            }
        }
        return false;
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** The percent-decoded value of {@code key} in a {@code baggage} header, or null. */
    static String baggageValue(String baggage, String key) {
        if (baggage == null) {
            return null;
        }
        for (String member : baggage.split(",")) {
            int equals = member.indexOf('=');
            if (equals < 0 || !member.substring(0, equals).trim().equals(key)) {
                continue;
            }
            String value = member.substring(equals + 1);
            int properties = value.indexOf(';');
            value = (properties < 0 ? value : value.substring(0, properties)).trim();
            String decoded = percentDecode(value);
            return decoded == null || decoded.isEmpty() ? null : decoded;
        }
        return null;
    }

    private static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        byte[] bytes = new byte[value.length()];
        int length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                int high = Character.digit(value.charAt(i + 1), 16);
                int low = Character.digit(value.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[length++] = (byte) (high << 4 | low);
                i += 2;
            } else if (c == '%' || c > 0x7E) {
                return null;
            } else {
                bytes[length++] = (byte) c;
            }
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
