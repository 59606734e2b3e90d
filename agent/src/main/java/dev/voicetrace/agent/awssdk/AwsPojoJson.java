package dev.voicetrace.agent.awssdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.json.Json;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads AWS SDK for Java v2 model objects as the JSON their service receives and sends, through
 * the SDK's public field metadata: every model object lists its fields ({@code sdkFields()}),
 * each with its wire name ({@code locationName()}) and a getter ({@code getValueOrDefault}).
 * Free-form JSON members ({@code Document}) are unwrapped to plain values; a binary member
 * (an image or document in a content block) is shown by its size only. No private field is read. Runs on the agent's processing thread.
 */
public final class AwsPojoJson {

    private static final JsonNodeFactory JSON = Json.NODES;

    private AwsPojoJson() {}

    /** Whether the object is an SDK model object (it lists its fields). */
    public static boolean isPojo(Object value) {
        return value != null && sdkMethod("sdkFields", value.getClass()) != null;
    }

    /** The model object's set fields by wire name; unset fields are left out. */
    public static JsonNode toJson(Object value) throws ReflectiveOperationException {
        if (value == null) {
            return JSON.nullNode();
        }
        if (value instanceof String) {
            return JSON.textNode((String) value);
        }
        if (value instanceof Boolean) {
            return JSON.booleanNode((Boolean) value);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return JSON.numberNode(((Number) value).longValue());
        }
        if (value instanceof Float) {
            // 0.7f is 0.699999988...: its decimal form is what the caller wrote and what is sent
            return JSON.numberNode(new BigDecimal(value.toString()));
        }
        if (value instanceof Double) {
            return JSON.numberNode((Double) value);
        }
        if (value instanceof BigDecimal) {
            return JSON.numberNode((BigDecimal) value);
        }
        if (value instanceof Number) {
            return JSON.numberNode(new BigDecimal(value.toString()));
        }
        if (value instanceof Instant) {
            return JSON.textNode(value.toString());
        }
        if (value instanceof Enum) {
            return JSON.textNode(value.toString());
        }
        if (value instanceof Map) {
            ObjectNode object = JSON.objectNode();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                object.set(String.valueOf(entry.getKey()), toJson(entry.getValue()));
            }
            return object;
        }
        if (value instanceof Collection) {
            ArrayNode array = JSON.arrayNode();
            for (Object element : (Collection<?>) value) {
                array.add(toJson(element));
            }
            return array;
        }
        Class<?> type = value.getClass();
        Method fields = sdkMethod("sdkFields", type);
        if (fields != null) {
            SdkMembers.used(fields);
            return pojo(value, (List<?>) fields.invoke(value));
        }
        Method unwrap = sdkMethod("unwrap", type);
        if (unwrap != null && type.getName().startsWith("software.amazon.awssdk.core.document.")) {
            return toJson(unwrap.invoke(value));
        }
        if (type.getName().equals("software.amazon.awssdk.core.SdkNumber")) {
            return JSON.numberNode(new BigDecimal(value.toString()));
        }
        Method bytes = sdkMethod("asByteArray", type);
        if (bytes != null) {
            // images, documents, audio in content blocks: their size, never their content
            return JSON.textNode("(" + ((byte[]) bytes.invoke(value)).length + " bytes)");
        }
        return JSON.textNode(value.toString());
    }

    /** The SDK field type's public accessors, looked up once per field class. */
    private static final class FieldAccess {
        final Method getValue;
        final Method locationName;
        final Method memberName;

        FieldAccess(Class<?> type) throws NoSuchMethodException {
            getValue = SdkMembers.require(type, "getValueOrDefault", Object.class);
            locationName = SdkMembers.require(type, "locationName");
            memberName = SdkMembers.require(type, "memberName");
        }

        Object value(Object field, Object pojo) throws ReflectiveOperationException {
            SdkMembers.used(getValue);
            return getValue.invoke(field, pojo);
        }

        /** The field's wire name; its member name with a lower-case first letter if it has none. */
        String name(Object field) throws ReflectiveOperationException {
            SdkMembers.used(locationName);
            String name = (String) locationName.invoke(field);
            if (name == null) {
                SdkMembers.used(memberName);
                String member = (String) memberName.invoke(field);
                name = Character.toLowerCase(member.charAt(0)) + member.substring(1);
            }
            return name;
        }
    }

    private static final ClassValue<FieldAccess> FIELD_ACCESS = new ClassValue<FieldAccess>() {
        @Override
        protected FieldAccess computeValue(Class<?> type) {
            try {
                return new FieldAccess(type);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private static FieldAccess access(Object field) throws NoSuchMethodException {
        FieldAccess access = FIELD_ACCESS.get(field.getClass());
        if (access == null) {
            throw new NoSuchMethodException(field.getClass().getName() + ".getValueOrDefault/locationName");
        }
        return access;
    }

    private static ObjectNode pojo(Object value, List<?> fields) throws ReflectiveOperationException {
        ObjectNode object = JSON.objectNode();
        for (Object field : fields) {
            FieldAccess access = access(field);
            Object member = access.value(field, value);
            if (member == null || isUnsetCollection(member)) {
                continue;
            }
            object.set(access.name(field), toJson(member));
        }
        return object;
    }

    /** The SDK's placeholder for a list or map the caller never set. */
    private static boolean isUnsetCollection(Object member) {
        String name = member.getClass().getName();
        return name.startsWith("software.amazon.awssdk.core.util.") && name.contains("SdkAutoConstruct");
    }

    /** A binary member (an {@code invokeModel} body, say) as bytes, or null. */
    public static byte[] bytes(Object sdkBytes) throws ReflectiveOperationException {
        if (sdkBytes == null) {
            return null;
        }
        Method bytes = sdkMethod("asByteArray", sdkBytes.getClass());
        return bytes == null ? null : (byte[]) bytes.invoke(sdkBytes);
    }

    /** A member of a model object by its wire name, through its field metadata. */
    public static Object member(Object pojo, String locationName) throws ReflectiveOperationException {
        Method fields = sdkMethod("sdkFields", pojo.getClass());
        if (fields == null) {
            return null;
        }
        SdkMembers.used(fields);
        for (Object field : (List<?>) fields.invoke(pojo)) {
            FieldAccess access = access(field);
            if (locationName.equals(access.name(field))) {
                return access.value(field, pojo);
            }
        }
        return null;
    }

    public static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Members the AWS SDK's model objects may or may not have: their absence tells what kind of value it is. */
    private static Method sdkMethod(String name, Class<?> type) {
        return SdkMembers.method(type, name);
    }
}
