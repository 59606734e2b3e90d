package dev.voicetrace.agent.capture;

import java.lang.reflect.Method;
import java.util.Optional;

/** Reflective reads of SDK objects by public method name, for types the agent cannot link to. */
public final class SdkReflection {

    private SdkReflection() {}

    public static Object invokeNoArg(Object target, String name) throws ReflectiveOperationException {
        Method method = target.getClass().getMethod(name);
        // The public method may be declared by a non-public implementation class.
        method.setAccessible(true);
        return method.invoke(target);
    }

    /** A multipart part's value, unwrapped from the SDK's field holder ({@code value().asKnown()}). */
    public static Object multipartValue(Object part) throws ReflectiveOperationException {
        if (part == null) {
            return null;
        }
        Object field = invokeNoArg(part, "value");
        if (field == null) {
            return null;
        }
        try {
            Object known = invokeNoArg(field, "asKnown");
            return known instanceof Optional ? ((Optional<?>) known).orElse(null) : known;
        } catch (NoSuchMethodException e) {
            return field;
        }
    }
}
