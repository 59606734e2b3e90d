package dev.voicetrace.agent.capture;

import dev.voicetrace.agent.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an SDK's request and response objects as the JSON the provider's API sends and receives,
 * by asking the SDK's own Jackson mapper to serialise them. This depends only on public SDK entry
 * points ({@code ObjectMappers.jsonMapper()}, {@code _body()}) and on the provider's documented
 * wire format, not on the SDK's internal field names, so it holds across SDK versions.
 * Used on the agent's processing thread only: reflection cost does not reach the application.
 */
public final class SdkJson {

    private final String objectMappersClass;

    /** The SDK's mapper for a type's class loader, with its {@code writeValueAsBytes} method. */
    private static final class SdkMapper {
        final Method jsonMapper;
        final Object mapper;
        final Method writeValueAsBytes;

        SdkMapper(Method jsonMapper, Object mapper, Method writeValueAsBytes) {
            this.jsonMapper = jsonMapper;
            this.mapper = mapper;
            this.writeValueAsBytes = writeValueAsBytes;
        }
    }

    private final ClassValue<SdkMapper> mappers = new ClassValue<SdkMapper>() {
        @Override
        protected SdkMapper computeValue(Class<?> type) {
            try {
                Class<?> holder = Class.forName(objectMappersClass, false, type.getClassLoader());
                Method jsonMapper = SdkMembers.require(holder, "jsonMapper");
                Object mapper = jsonMapper.invoke(null);
                Method write = SdkMembers.require(mapper.getClass(), "writeValueAsBytes", Object.class);
                return new SdkMapper(jsonMapper, mapper, write);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }
    };


    public SdkJson(String objectMappersClass) {
        this.objectMappersClass = objectMappersClass;
    }

    /** The SDK object serialised by the SDK's own mapper and read back into the agent's JSON tree. */
    public JsonNode toJson(Object sdkObject) throws ReflectiveOperationException, java.io.IOException {
        return sdkObject == null ? null : toJson(sdkObject, sdkObject.getClass());
    }

    /**
     * {@code value} serialised by the mapper of the SDK that {@code sdkType} belongs to: a JDK
     * value (a list of the SDK's enums) has no SDK loader of its own to find the mapper by.
     */
    private JsonNode toJson(Object value, Class<?> sdkType) throws ReflectiveOperationException, java.io.IOException {
        SdkMapper sdk = mappers.get(sdkType);
        if (sdk == null) {
            throw new IllegalStateException(objectMappersClass + ".jsonMapper() is not available");
        }
        SdkMembers.used(sdk.jsonMapper);
        SdkMembers.used(sdk.writeValueAsBytes);
        return Json.read((byte[]) sdk.writeValueAsBytes.invoke(sdk.mapper, value));
    }

    /**
     * A call's parsed response as wire JSON: the body the SDK read, when it was kept (see
     * {@link ResponseBodies}), else the response object serialised by the SDK's mapper.
     */
    public JsonNode response(CompletedCall call) throws ReflectiveOperationException, java.io.IOException {
        JsonNode received = call.responseBodyJson();
        return received != null ? received : toJson(call.response());
    }

    /**
     * The items a streamed call delivered, each as wire JSON, in order: the {@code data:} text of
     * the SSE message an item was parsed from when it was seen (the JSON the service sent), else
     * the item serialised by the SDK's mapper.
     */
    public List<JsonNode> streamItems(CompletedCall call) throws ReflectiveOperationException, java.io.IOException {
        List<Object> raw = call.streamItems();
        List<JsonNode> items = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            JsonNode sent = sseData(call.streamItemWireMessage(i));
            items.add(sent != null ? sent : toJson(raw.get(i)));
        }
        return items;
    }

    /** An SSE message's data parsed, or null when there is none or it is not a JSON object. */
    private static JsonNode sseData(Object message) {
        if (message == null) {
            return null;
        }
        try {
            Method data = SdkMembers.method(message.getClass(), "getData");
            Object text = data == null ? null : data.invoke(message);
            if (!(text instanceof String)) {
                return null;
            }
            JsonNode node = Json.read((String) text);
            return node != null && node.isObject() ? node : null;
        } catch (ReflectiveOperationException | java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A call's request body: the JSON body the SDK serialised and sent, when its request object
     * was seen; else {@link #requestBody(Object)} of the request. For a streaming call the SDK
     * adds {@code "stream": true} to the body it sends: that field is taken out again, so that
     * both give the request the application made.
     */
    public JsonNode requestBody(CompletedCall call) throws ReflectiveOperationException, java.io.IOException {
        JsonNode sent = sentJsonBody(call.sentRequest());
        if (sent != null) {
            if (call.spec().streaming && sent.path("stream").isBoolean() && sent.get("stream").booleanValue()) {
                ((ObjectNode) sent).remove("stream");
            }
            return sent;
        }
        return requestBody(call.request());
    }

    /** How the agent reads a request body class: its content type, whether it can be written again, and its bytes. */
    private static final class BodyAccess {
        final Method contentType;
        final Method repeatable;
        final Method writeTo;

        BodyAccess(Method contentType, Method repeatable, Method writeTo) {
            this.contentType = contentType;
            this.repeatable = repeatable;
            this.writeTo = writeTo;
        }
    }

    /**
     * Per request body class, looked up once: three lookups by name for every call were a few per
     * cent of the processing thread's time at thousands of calls a second. Null for a class
     * that lacks one of the methods (another SDK version: the request is serialised then).
     */
    private static final ClassValue<BodyAccess> BODY_ACCESS = new ClassValue<BodyAccess>() {
        @Override
        protected BodyAccess computeValue(Class<?> type) {
            Method contentType = SdkMembers.method(type, "contentType");
            Method repeatable = SdkMembers.method(type, "repeatable");
            if (contentType == null || repeatable == null) {
                return null;
            }
            try {
                Method writeTo = type.getMethod("writeTo", java.io.OutputStream.class);
                writeTo.setAccessible(true);
                return new BodyAccess(contentType, repeatable, writeTo);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    /**
     * The processing thread's buffer for the bodies it has the SDK write again, kept between
     * calls: a body written into a fresh stream cost the stream's growing and a copy of its bytes
     * on top of the tree read from them.
     */
    private static final ThreadLocal<BodyBuffer> BODY_BUFFER = ThreadLocal.withInitial(BodyBuffer::new);

    /**
     * The JSON body of an SDK's HTTP request object, as it was sent: null when it has none, it is
     * not a repeatable JSON body (a multipart upload), or it cannot be read.
     */
    private static JsonNode sentJsonBody(Object request) {
        if (request == null) {
            return null;
        }
        try {
            // Members another SDK version may lack are not drift here: the request is serialised then.
            Object body = call(request, "body");
            BodyAccess access = body == null ? null : BODY_ACCESS.get(body.getClass());
            if (access == null) {
                return null;
            }
            Object type = access.contentType.invoke(body);
            if (!(type instanceof String) || !((String) type).startsWith("application/json")
                    || !Boolean.TRUE.equals(access.repeatable.invoke(body))) {
                return null;
            }
            BodyBuffer buffer = BODY_BUFFER.get();
            buffer.reset();
            JsonNode node;
            try {
                access.writeTo.invoke(body, buffer);
                node = Json.read(buffer.bytes(), 0, buffer.size());
            } finally {
                buffer.release(BODY_BUFFER);
            }
            return node != null && node.isObject() ? node : null;
        } catch (ReflectiveOperationException | java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The request body as sent: a JSON body as is, a multipart body as an object of its non-file
     * parts plus {@code file} metadata (name and content type, never the content).
     */
    public JsonNode requestBody(Object params) throws ReflectiveOperationException, java.io.IOException {
        Object body = SdkMembers.invoke(params, "_body");
        if (!(body instanceof Map)) {
            return toJson(body);
        }
        ObjectNode result = Json.object();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) body).entrySet()) {
            String name = String.valueOf(entry.getKey());
            Object part = entry.getValue();
            Object value = SdkMembers.multipartValue(part);
            if (value instanceof InputStream || value instanceof byte[]) {
                ObjectNode file = result.putObject(name);
                file.put("filename", optionalString(part, "filename"));
                file.put("content_type", optionalString(part, "contentType"));
                continue;
            }
            if (value != null) {
                result.set(name, plainOrSerialised(value, params.getClass()));
            }
        }
        return result;
    }

    /**
     * A form field's value as JSON: a string, number or boolean as it is (most fields of a
     * transcription request), anything else (an SDK enum, a list) serialised by the SDK's mapper.
     */
    private JsonNode plainOrSerialised(Object value, Class<?> sdkType)
            throws ReflectiveOperationException, java.io.IOException {
        if (value instanceof String) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf((String) value);
        }
        if (value instanceof Boolean) {
            return com.fasterxml.jackson.databind.node.BooleanNode.valueOf((Boolean) value);
        }
        if (value instanceof Long || value instanceof Integer) {
            return com.fasterxml.jackson.databind.node.LongNode.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(((Number) value).doubleValue());
        }
        if (value == null) {
            return null;
        }
        // An SDK's enum-like value (a model, a response format) repeats from call to call: its
        // serialised form is kept, keyed by the value's own equality, rather than asked of the
        // SDK's mapper each time. Only a scalar is kept: a tree could be changed by whoever reads it.
        JsonNode known = serialisedValues.get(value);
        if (known != null) {
            return known;
        }
        JsonNode serialised = toJson(value, sdkType);
        if (serialised != null && serialised.isValueNode() && serialisedValues.size() < MAX_SERIALISED_VALUES) {
            serialisedValues.put(value, serialised);
        }
        return serialised;
    }

    /** Enough for the models and formats of an application; beyond it, values are serialised each time. */
    private static final int MAX_SERIALISED_VALUES = 256;
    /** Form field values already serialised. */
    private final Map<Object, JsonNode> serialisedValues = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code target.name()}, or null when the class has no such public method. */
    private static Object call(Object target, String name) throws ReflectiveOperationException {
        Method method = SdkMembers.method(target.getClass(), name);
        return method == null ? null : method.invoke(target);
    }

    private static String optionalString(Object target, String method) {
        try {
            Object value = SdkMembers.invoke(target, method);
            if (value instanceof Optional) {
                return ((Optional<?>) value).map(String::valueOf).orElse(null);
            }
            return value == null ? null : value.toString();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The host (and port, when not the scheme's default) of the client a generated SDK service
     * belongs to, from its client options' base URL: tells Azure OpenAI or a proxy from the
     * vendor's own API. Null when the service is not at hand or keeps no options.
     */
    public static String apiHost(Object service) {
        if (service == null) {
            return null;
        }
        ServiceHost[] known = knownServiceHosts;
        for (ServiceHost entry : known) {
            if (entry != null && entry.service.get() == service) {
                return entry.host;
            }
        }
        Object baseUrl = SdkMembers.get(SdkMembers.field(service, "clientOptions"), "baseUrl");
        if (!(baseUrl instanceof String)) {
            return null;
        }
        String host;
        try {
            java.net.URI uri = java.net.URI.create((String) baseUrl);
            host = uri.getHost() == null ? null : uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            host = null;
        }
        ServiceHost[] updated = new ServiceHost[known.length];
        updated[0] = new ServiceHost(service, host);
        System.arraycopy(known, 0, updated, 1, known.length - 1);
        knownServiceHosts = updated;
        return host;
    }

    /**
     * A service read lately and its host. A generated service keeps its client options for life,
     * and an application calls a few services over and over (a voice turn: transcription, chat,
     * speech), so the reflective reads and the URL parse happen once per service. Held weakly: a
     * client the application dropped is not kept.
     */
    private static final class ServiceHost {
        final java.lang.ref.WeakReference<Object> service;
        final String host;

        ServiceHost(Object service, String host) {
            this.service = new java.lang.ref.WeakReference<>(service);
            this.host = host;
        }
    }

    /** The services read lately, newest first; an array replaced whole, so readers need no lock. */
    private static volatile ServiceHost[] knownServiceHosts = new ServiceHost[8];
}
